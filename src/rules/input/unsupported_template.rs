use crate::rules::prelude::*;
use std::collections::HashSet;

use crate::source::{LoadProblem, ProblemKind};

declare_rule! {
    UnsupportedTemplate,
    code: "E003",
    name: "unsupported-template",
    family: Input,
    severity: Info,
    summary: "the file is a template (Helm/Go, Terraform, Jinja, ERB, envsubst or a script's placeholders), not plain YAML or JSON; lint the rendered output instead",
}

impl Rule for UnsupportedTemplate {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, world: &World<'_>, out: &mut Vec<Diagnostic>) {
        let sources = &world.inputs.sources;
        // The folders holding a `Chart.yaml` among the inputs: the Helm charts.
        let charts: HashSet<&str> = world
            .inputs
            .files
            .iter()
            .filter_map(|f| chart_dir(&sources.get(f.id).path))
            .collect();
        // One finding a chart: a vendored chart is one thing to render, and a gitops
        // repository with three of them vendored had 325 findings, one a template file.
        // Charts in the order of their first template (files are in path order).
        let mut by_chart: Vec<(&str, Vec<&LoadProblem>)> = Vec::new();
        for file in &world.inputs.files {
            for p in file
                .problems
                .iter()
                .filter(|p| p.kind == ProblemKind::Template)
            {
                let path = &sources.get(file.id).path;
                // `{{ … }}` in a file named as a Jinja template (`external-dns.yaml.j2`) is
                // Jinja's, which `helm template` does not render.
                if jinja_by_name(path) && p.message.contains("Helm/Go template") {
                    out.push(
                        META.diagnostic(
                            p.span,
                            p.message.replace(
                                "Helm/Go template",
                                "Jinja template (the file name says so)",
                            ),
                        )
                        .label("template markup")
                        .help(JINJA_BY_NAME_HELP),
                    );
                    continue;
                }
                let chart = is_helm(p).then(|| chart_of(path, &charts)).flatten();
                match chart {
                    Some(c) => match by_chart.iter_mut().find(|(k, _)| *k == c) {
                        Some((_, ps)) => ps.push(p),
                        None => by_chart.push((c, vec![p])),
                    },
                    None => out.push(
                        META.diagnostic(p.span, p.message.clone())
                            .label("template markup")
                            .help(help(p)),
                    ),
                }
            }
        }
        for (chart, problems) in by_chart {
            let shown = if chart.is_empty() { "." } else { chart };
            let first = problems[0];
            let others = problems.len() - 1;
            let mut d = META
                .diagnostic(
                    first.span,
                    format!(
                        "the templates of Helm chart `{shown}` hold template markup `{{{{` outside a string: Helm/Go templates, not plain YAML, and were not linted"
                    ),
                )
                .label(if others == 0 {
                    "template markup".to_string()
                } else {
                    format!(
                        "template markup, and in {others} more template file{} of this chart",
                        if others == 1 { "" } else { "s" }
                    )
                })
                .help(format!(
                    "render the chart first, with the values it is deployed with: `helm template {shown} | irsalint lint -`"
                ));
            // A few of the others show where; all of them would print a snippet each, which
            // is the noise grouping removes (the label gives the count).
            for p in problems[1..].iter().take(RELATED_SHOWN) {
                d = d.related(p.span, "template markup");
            }
            out.push(d);
        }
    }
}

/// How many of a chart's other template files a finding shows as related locations.
const RELATED_SHOWN: usize = 3;

/// The help for one template file: the loader's message names the template language, and the
/// way to render it follows from that.
fn help(p: &LoadProblem) -> &'static str {
    let m = &p.message;
    if m == crate::load::STRING_TEMPLATE {
        "render the string as the program that fills it in does and lint the policy it gives (`<render> | irsalint lint -`); a template that is no input of yours (a vendored tool's) can be excluded"
    } else if m.contains("ERB") {
        "render it first: `terraspace build <stack>` writes the stack's rendered files under `.terraspace-cache/` (`irsalint lint .terraspace-cache/<region>/<env>/stacks/<stack>`)"
    } else if m.contains("Terraform") {
        "irsalint reads the Terraform that renders it: lint the directory with the `.tf` files (a `templatefile()` of this file with known variables is evaluated there), or lint the rendered text (`terraform console`, or the plan: `terraform show -json plan.out | irsalint lint -`)"
    } else if m.contains("invalid JSON") {
        "render it first with the values it is deployed with: `envsubst < file.json | irsalint lint -`"
    } else if m.contains("envsubst") {
        "render it first with the values it is deployed with: `envsubst < file.yaml | irsalint lint -`"
    } else if m.contains("Jinja") {
        "lint the YAML the template renders to: for a documentation snippet the published page's text, for Ansible or cookiecutter the generated files"
    } else if m.contains("a script fills in") {
        "render it first with the values it is deployed with (the script's own substitution, `sed 's/{TENANT_ID}/t1/g' file.yaml | irsalint lint -`), or exclude the file"
    } else {
        "render it first: `helm template . | irsalint lint -`"
    }
}

/// The help for a file named as a Jinja template: whatever fills it in (a program's
/// `jinja2` environment, Ansible's `template` module) renders it, not `helm template`.
const JINJA_BY_NAME_HELP: &str = "render it first with the values it is deployed with (the program or Ansible `template` task that fills it in), and lint the output: `<render> | irsalint lint -`";

/// Is the file named as a Jinja template (`x.yaml.j2`, `x.yaml.jinja`, `x.yaml.jinja2`,
/// Abdelali12-codes/eks-addons-and-apps-with-cdk@f2f5b9b eks_python/addons/*.yaml.j2, which a
/// CDK app renders with `jinja2`)?
fn jinja_by_name(path: &str) -> bool {
    let Some((_, ext)) = path.rsplit_once('.') else {
        return false;
    };
    ["j2", "jinja", "jinja2"]
        .iter()
        .any(|e| ext.eq_ignore_ascii_case(e))
}

/// Helm/Go markup in a YAML file (not JSON, where a chart's templates do not live).
fn is_helm(p: &LoadProblem) -> bool {
    p.message.starts_with("template markup `{{`")
}

/// `charts/x` for `charts/x/Chart.yaml`, `""` for `Chart.yaml` at the root of the run.
fn chart_dir(path: &str) -> Option<&str> {
    if path == "Chart.yaml" {
        return Some("");
    }
    path.strip_suffix("/Chart.yaml")
}

/// The chart whose `templates/` folder holds `path`: the nearest one, so a subchart's
/// templates (`a/charts/b/templates/x.yaml`) are the subchart's.
fn chart_of<'c>(path: &str, charts: &HashSet<&'c str>) -> Option<&'c str> {
    let mut at = path.len();
    while let Some(i) = path[..at].rfind("/templates/") {
        if let Some(c) = charts.get(&path[..i]) {
            return Some(c);
        }
        at = i;
    }
    if path.starts_with("templates/") {
        return charts.get("").copied();
    }
    None
}

#[cfg(test)]
mod tests {
    #[test]
    fn fixtures() {
        crate::testing::assert_rule_fixtures(&super::META);
    }

    /// Vendored charts: one finding a chart (a subchart is its own), the chart's other
    /// template files as related locations, the chart's folder in the help.
    #[test]
    fn one_finding_a_vendored_chart() {
        crate::testing::assert_world_expectations(&super::META, "vendored");
        let report = crate::testing::lint_fixture_world(&super::META, "vendored");
        let chart = report
            .diagnostics
            .iter()
            .find(|d| d.message.contains("`monitoring`"))
            .expect("the monitoring chart's finding");
        assert!(
            chart
                .message
                .starts_with("the templates of Helm chart `monitoring` hold"),
            "{}",
            chart.message
        );
        // Five template files: the first, three more shown, the count of all four others.
        assert_eq!(chart.related.len(), super::RELATED_SHOWN, "{chart:#?}");
        assert_eq!(
            chart.label.as_deref(),
            Some("template markup, and in 4 more template files of this chart")
        );
        let grafana = report
            .diagnostics
            .iter()
            .find(|d| d.message.contains("`monitoring/charts/grafana`"))
            .expect("the subchart's own finding");
        assert_eq!(grafana.related.len(), 1, "{grafana:#?}");
        assert_eq!(
            grafana.label.as_deref(),
            Some("template markup, and in 1 more template file of this chart")
        );
        assert_eq!(
            chart.help.as_deref(),
            Some("render the chart first, with the values it is deployed with: `helm template monitoring | irsalint lint -`")
        );
        let loose = report
            .diagnostics
            .iter()
            .find(|d| d.message.starts_with("template markup `{{`"))
            .expect("the templates/ folder without a chart, reported alone");
        assert!(loose.related.is_empty());
        assert_eq!(
            loose.help.as_deref(),
            Some("render it first: `helm template . | irsalint lint -`")
        );
    }

    /// A `.yaml.j2` file's `{{ … }}` is Jinja's: said so, with a help that does not send the
    /// user to `helm template` (Abdelali12-codes/eks-addons-and-apps-with-cdk@f2f5b9b).
    #[test]
    fn a_jinja_named_file_is_not_called_helm() {
        use super::jinja_by_name;
        for p in ["a/x.yaml.j2", "x.yml.J2", "x.yaml.jinja", "x.yaml.jinja2"] {
            assert!(jinja_by_name(p), "{p}");
        }
        for p in [
            "x.yaml",
            "templates/x.yaml",
            "j2",
            "x.j2.yaml",
            "x.yaml.tpl",
            "x.nj2",
        ] {
            assert!(!jinja_by_name(p), "{p}");
        }
        let text = "apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  annotations:\n    eks.amazonaws.com/role-arn: {{ role_arn }}\n  name: external-dns\n";
        let report = crate::testing::lint_text("external-dns.yaml.j2", text, &super::META);
        assert_eq!(report.diagnostics.len(), 1, "{:#?}", report.diagnostics);
        let d = &report.diagnostics[0];
        assert_eq!(
            d.message,
            "template markup `{{` outside a string: this is a Jinja template (the file name says so), not plain YAML, and was not linted"
        );
        assert_eq!(d.help.as_deref(), Some(super::JINJA_BY_NAME_HELP));
        // The same text named `.yaml` stays a Helm/Go template.
        let report = crate::testing::lint_text("external-dns.yaml", text, &super::META);
        assert!(report.diagnostics[0].message.contains("Helm/Go template"));
        assert_eq!(
            report.diagnostics[0].help.as_deref(),
            Some("render it first: `helm template . | irsalint lint -`")
        );
    }

    #[test]
    fn chart_of_takes_the_nearest_chart_of_a_templates_folder() {
        use std::collections::HashSet;
        let charts: HashSet<&str> = ["", "a", "a/charts/b"].into_iter().collect();
        let of = |p: &str| super::chart_of(p, &charts);
        assert_eq!(of("a/templates/x.yaml"), Some("a"));
        assert_eq!(of("a/templates/sub/x.yaml"), Some("a"));
        assert_eq!(of("a/charts/b/templates/x.yaml"), Some("a/charts/b"));
        // A subchart folder without its own Chart.yaml is no chart's templates.
        assert_eq!(of("a/charts/c/templates/x.yaml"), None);
        assert_eq!(of("a/templates/sub/templates/x.yaml"), Some("a"));
        assert_eq!(of("templates/x.yaml"), Some(""));
        assert_eq!(of("c/templates/x.yaml"), None);
        assert_eq!(of("a/x.yaml"), None);
        assert_eq!(of("a/mytemplates/x.yaml"), None);
        let none: HashSet<&str> = HashSet::new();
        assert_eq!(super::chart_of("a/templates/x.yaml", &none), None);
        assert_eq!(super::chart_dir("Chart.yaml"), Some(""));
        assert_eq!(super::chart_dir("x/Chart.yaml"), Some("x"));
        assert_eq!(super::chart_dir("x/NotChart.yaml"), None);
    }
}
