variable "sqs_indexer_policy_send_name" {
  type = string
}
