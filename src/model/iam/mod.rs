//! IAM policies: grammar model, ARNs, wildcard matching and condition evaluation.
