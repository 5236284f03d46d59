# Read with read_terragrunt_config: not an input of irsalint (this text is not even HCL).
locals {
  environment = 
