/// Declares a rule's unit struct and its `META`, embedding `rules/<name>.md`: a rule
/// without its documentation does not compile.
macro_rules! declare_rule {
    (
        $ty:ident,
        code: $code:literal,
        name: $name:literal,
        family: $family:ident,
        severity: $severity:ident,
        summary: $summary:literal $(,)?
    ) => {
        pub struct $ty;

        pub static META: $crate::rules::RuleMeta = $crate::rules::RuleMeta {
            code: $code,
            name: $name,
            family: $crate::rules::Family::$family,
            default_severity: $crate::diagnostic::Severity::$severity,
            summary: $summary,
            doc: include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/rules/", $name, ".md")),
            source: concat!(file!(), "#L", line!()),
        };
    };
}
