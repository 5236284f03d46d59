use crate::rules::prelude::*;

declare_rule! {
    SaAudienceEmpty,
    code: "S007",
    name: "sa-audience-empty",
    family: Sa,
    severity: Warning,
    summary: "a ServiceAccount's audience annotation is empty: the token gets the API server's default audience instead of sts.amazonaws.com",
}

impl Rule for SaAudienceEmpty {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, world: &World<'_>, out: &mut Vec<Diagnostic>) {
        for (sa, e) in super::annotated(world, "audience") {
            let prefix = world.annotation_prefix_of(sa);
            if !e.value.as_str().is_some_and(|v| v.trim().is_empty()) && !e.value.is_null() {
                continue;
            }
            out.push(
                META.diagnostic(
                    e.value.span,
                    format!("`{prefix}/audience` of `{}` is empty: the webhook omits the token's audience and the API server issues it for its own issuer, which STS rejects", sa.subject()),
                )
                .label("empty audience")
                .help("remove the annotation to get the webhook's --token-audience (sts.amazonaws.com by default), or set the audience the role's trust requires")
                .path(super::annotations_path(sa)),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn fixtures() {
        crate::testing::assert_rule_fixtures(&super::META);
    }
}
