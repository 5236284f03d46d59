//! What the user states about the cluster the manifests run in (`[cluster]` in
//! `irsalint.toml`): facts the files may lack, read by the World like any input.

use serde::Deserialize;

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct ClusterConfig {
    /// Issuers (host + path) of the clusters the manifests run in.
    #[serde(default)]
    pub issuers: Vec<String>,
    /// Token audiences in use.
    #[serde(default)]
    pub audiences: Vec<String>,
    pub annotation_prefix: Option<String>,
}

impl AsRef<ClusterConfig> for ClusterConfig {
    fn as_ref(&self) -> &ClusterConfig {
        self
    }
}
