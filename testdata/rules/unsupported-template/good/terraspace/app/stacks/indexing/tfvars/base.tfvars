# ERB tags only inside strings: valid HCL (the values are Terraspace's to fill in).
sqs_indexer_policy_send_name = "<%= expansion(':ENV') %>-ep-sqs-indexer-send"
queue_url                    = "<%= output('indexing.sqs_indexer_topic', mock: '').to_ruby['url'] %>"
