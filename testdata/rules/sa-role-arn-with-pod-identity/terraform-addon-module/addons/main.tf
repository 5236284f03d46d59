# The add-ons' root installs the add-on through a module of the repository, to the cluster the
# other root creates (an add-on adds to a cluster, it creates none): the association applies to
# the add-on's ServiceAccount, whose IRSA role of before is still given.
module "ebs_csi" {
  source       = "./ebs-csi"
  cluster_name = "prod"
}
