//! Typed, read-only views built from [`crate::source::node::Node`] trees; each keeps its spans.

pub mod aws_config;
pub mod cluster;
pub mod eksctl;
pub mod iam;
pub mod k8s;
pub mod kustomize;
pub mod label_selector;
pub mod link;
pub mod oidc;
pub mod openshift;
pub mod pod_identity;
pub mod role;
pub mod value;
pub mod webhook;
