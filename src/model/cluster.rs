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
    /// Which input file holds which role's trust policy: `[roles]` of `irsalint.toml`
    /// (a top-level table, not a key of `[cluster]`), resolved by `config::load`.
    #[serde(skip)]
    pub role_files: Vec<RoleFile>,
}

/// One entry of `[roles]`: a bare trust policy file stands for this role, whatever its name.
#[derive(Debug, Clone, PartialEq)]
pub struct RoleFile {
    /// The role's ARN, when the entry gives one.
    pub arn: Option<String>,
    /// The role's name (the last segment of its ARN).
    pub name: String,
    /// The file as the inputs show it (relative to the working directory, `/`-separated,
    /// lexically normalized: see `source::discover::lexical`).
    pub path: String,
}

impl AsRef<ClusterConfig> for ClusterConfig {
    fn as_ref(&self) -> &ClusterConfig {
        self
    }
}
