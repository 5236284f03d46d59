//! Amazon Resource Names: parsing, role-ARN validation, OIDC provider ARNs, placeholders.

/// Partitions IAM knows. An ARN in any other partition can never name a real role.
pub const PARTITIONS: &[&str] = &[
    "aws",
    "aws-cn",
    "aws-us-gov",
    "aws-iso",
    "aws-iso-b",
    "aws-iso-e",
    "aws-iso-f",
    "aws-eusc",
];

/// The six parts of `arn:partition:service:region:account:resource`. The resource keeps its
/// own colons (`arn:aws:logs:...:log-group:name:*`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Arn<'a> {
    pub partition: &'a str,
    pub service: &'a str,
    pub region: &'a str,
    pub account: &'a str,
    pub resource: &'a str,
}

/// Parses an ARN. A colon inside `${...}` (a CloudFormation pseudo parameter such as
/// `${AWS::Partition}`, or a policy variable such as `${aws:username}`) does not separate
/// parts. `None` unless the text starts with `arn:` and has at least six parts.
pub fn parse(s: &str) -> Option<Arn<'_>> {
    // On the stack: every ServiceAccount's ARN is parsed by several rules.
    let mut parts = [""; 5];
    let mut found = 0;
    let mut start = 0;
    let mut depth = 0usize;
    let bytes = s.as_bytes();
    let mut i = 0;
    while i < bytes.len() && found < 5 {
        match bytes[i] {
            b'$' if bytes.get(i + 1) == Some(&b'{') => {
                depth += 1;
                i += 1;
            }
            b'}' if depth > 0 => depth -= 1,
            b':' if depth == 0 => {
                parts[found] = &s[start..i];
                found += 1;
                start = i + 1;
            }
            _ => {}
        }
        i += 1;
    }
    if found < 5 || parts[0] != "arn" {
        return None;
    }
    Some(Arn {
        partition: parts[1],
        service: parts[2],
        region: parts[3],
        account: parts[4],
        resource: &s[start..],
    })
}

/// The path and name of a role from an ARN resource: `role/path/to/name` gives
/// (`/path/to/`, `name`), `role/name` gives (`/`, `name`). `None` if not `role/...`.
pub fn role_path_and_name(resource: &str) -> Option<(String, &str)> {
    let rest = resource.strip_prefix("role/")?;
    match rest.rfind('/') {
        Some(i) => Some((format!("/{}", &rest[..=i]), &rest[i + 1..])),
        None => Some(("/".to_string(), rest)),
    }
}

/// What is wrong with `s` as an IAM role ARN, as a lower-case message, or `None` when it is
/// a well-formed role ARN. Callers should test [`is_placeholder`] first.
pub fn role_arn_problem(s: &str) -> Option<String> {
    // Three rules ask this of every ServiceAccount's ARN, nearly always a plain one: decided
    // in one pass before the checks below (about 2,900 instructions an ARN).
    if is_plain_role_arn(s) {
        return None;
    }
    role_arn_problem_checked(s)
}

/// `arn:<partition>:iam::<12 digits>:role/<name>`, a known partition, no path, a name of 1
/// to 64 of IAM's characters: an ARN every check of [`role_arn_problem_checked`] passes.
fn is_plain_role_arn(s: &str) -> bool {
    let Some((partition, rest)) = s.strip_prefix("arn:").and_then(|r| r.split_once(':')) else {
        return false;
    };
    let Some(rest) = rest.strip_prefix("iam::") else {
        return false;
    };
    let Some((account, rest)) = rest.split_at_checked(12) else {
        return false;
    };
    let Some(name) = rest.strip_prefix(":role/") else {
        return false;
    };
    PARTITIONS.contains(&partition)
        && account.bytes().all(|b| b.is_ascii_digit())
        && (1..=64).contains(&name.len())
        && name.chars().all(is_name_char)
}

fn role_arn_problem_checked(s: &str) -> Option<String> {
    if s.ends_with('\n') || s.ends_with('\r') {
        return Some("ends with a line break".into());
    }
    if s.trim() != s {
        return Some("has leading or trailing whitespace".into());
    }
    if s.is_empty() {
        return Some("is empty".into());
    }
    if s.starts_with(['"', '\'']) || s.ends_with(['"', '\'']) {
        return Some("is wrapped in quote characters".into());
    }
    if let Some(c) = s.chars().find(|c| c.is_whitespace()) {
        return Some(format!("contains whitespace ({c:?})"));
    }
    if !s.starts_with("arn:") {
        return Some("does not start with `arn:`".into());
    }
    let parts = s.split(':').count();
    if parts < 6 {
        return Some(format!(
            "has {parts} colon-separated parts, expected 6 (arn:partition:iam::account:role/name)"
        ));
    }
    let Some(arn) = parse(s) else {
        // Six parts by a plain split, but an unclosed `${` swallows the separators.
        return Some("is not a well-formed arn".into());
    };
    if !PARTITIONS.contains(&arn.partition) {
        return Some(format!("partition `{}` is unknown", arn.partition));
    }
    if arn.service != "iam" {
        return Some(format!("service is `{}`, expected `iam`", arn.service));
    }
    if !arn.region.is_empty() {
        return Some(format!(
            "region must be empty in an iam arn, found `{}`",
            arn.region
        ));
    }
    if arn.account.len() != 12 || !arn.account.bytes().all(|b| b.is_ascii_digit()) {
        return Some(format!(
            "account `{}` is not a 12-digit account id",
            arn.account
        ));
    }
    if arn.resource.contains(':') {
        return Some("has an extra colon in the resource part".into());
    }
    let Some((path, name)) = role_path_and_name(arn.resource) else {
        let kind = arn.resource.split('/').next().unwrap_or("");
        return Some(match kind {
            "" => "has an empty resource, expected `role/<name>`".to_string(),
            "user" | "group" | "policy" | "instance-profile" | "oidc-provider"
            | "saml-provider" | "server-certificate" => {
                format!("names an iam {kind}, not a role")
            }
            _ => format!("resource `{}` does not start with `role/`", arn.resource),
        });
    };
    role_name_problem(name).or_else(|| role_path_problem(&path))
}

/// Role names are 1-64 characters of `[A-Za-z0-9_+=,.@-]` (IAM's `[\w+=,.@-]+`).
fn role_name_problem(name: &str) -> Option<String> {
    if name.is_empty() {
        return Some("role name is empty".into());
    }
    if name.chars().count() > 64 {
        return Some(format!(
            "role name is {} characters long, the maximum is 64",
            name.chars().count()
        ));
    }
    name.chars()
        .find(|c| !is_name_char(*c))
        .map(|c| format!("role name `{name}` contains the invalid character {c:?}"))
}

fn is_name_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '_' | '+' | '=' | ',' | '.' | '@' | '-')
}

/// Paths are `/` or `/seg/.../` with printable ASCII (`!`..`~`), at most 512 characters.
/// An empty segment (`role//name`) is the usual copy-paste slip.
fn role_path_problem(path: &str) -> Option<String> {
    if path.len() > 512 {
        return Some("role path is longer than 512 characters".into());
    }
    if path.contains("//") {
        return Some(format!("role path `{path}` has an empty segment"));
    }
    path.chars()
        .find(|c| !('!'..='~').contains(c))
        .map(|c| format!("role path `{path}` contains the invalid character {c:?}"))
}

/// Whether `s` is, or contains, a template placeholder rather than a real value: `${VAR}`,
/// `$VAR`, `$(VAR)`, `{{ ... }}`, `%{...}`, `<...>`, or a filler word standing for a whole
/// ARN part (`xxxxxxxxxxxx`, `REPLACE_ME`, `CHANGEME`, `YOUR_ACCOUNT_ID`, `<account-id>`).
/// Rules skip such values instead of reporting them as malformed.
pub fn is_placeholder(s: &str) -> bool {
    // One pass over the bytes (every ServiceAccount's ARN comes here from several rules):
    // the markers `$VAR`, `${`, `$(`, `{{`, `%{`, `#{`, and each `:`/`/`-separated part
    // tested for a filler word as it ends; the rarer `__TOKEN__` and `<word>` forms only
    // when their first character occurs at all.
    let b = s.as_bytes();
    let (mut underscore, mut angle) = (false, false);
    let mut part_start = 0;
    for (i, &c) in b.iter().enumerate() {
        match c {
            b'$' if b.get(i + 1).is_some_and(|&n| {
                n == b'{' || n == b'(' || n == b'_' || n.is_ascii_alphabetic()
            }) =>
            {
                return true
            }
            b'{' | b'%' | b'#' if b.get(i + 1) == Some(&b'{') => return true,
            b'_' => underscore = true,
            b'<' => angle = true,
            b':' | b'/' => {
                // ASCII separators: `i` is a character boundary.
                if is_filler(&s[part_start..i]) {
                    return true;
                }
                part_start = i + 1;
            }
            _ => {}
        }
    }
    if is_filler(&s[part_start..]) {
        return true;
    }
    // No `:` or `/` at all: the whole value may be a token named for the ARN it stands for.
    if part_start == 0 && names_an_arn(s) {
        return true;
    }
    if underscore && has_dunder_token(s) {
        return true;
    }
    if account_placeholder(s) {
        return true;
    }
    angle
        && s.match_indices('<')
            .any(|(i, _)| is_angle_placeholder(&s[i + 1..]))
}

/// An ARN whose account field is a word standing for the account: `ACCOUNT_ID`,
/// `AWS_ACCOUNT`, `AccountId` (fluxcd/website content/en/flux/integrations/aws.md@6da0f383:
/// `arn:aws:iam::ACCOUNT_ID:role/ROLE_NAME`). An account is 12 digits, so letters there are
/// never one; only a word naming the account, or one in upper case (a shell or sed token),
/// counts, so that `arn:aws:iam::aws:policy/…` (AWS's own managed policies) does not.
fn account_placeholder(s: &str) -> bool {
    parse(s).is_some_and(|a| is_account_word(a.account))
}

/// Whether an ARN's account field stands for the account rather than being one: a
/// placeholder of any form ([`is_placeholder`]: `${AWS_ACCOUNT_ID}`, `<account-id>`,
/// `xxxxxxxxxxxx`) or a word naming it (`ACCOUNT_ID`, `{ACCOUNT_ID}`, `AccountId`), as
/// [`is_placeholder`] reads the account of a whole ARN. An account id (digits), `aws` and
/// an empty field are not.
pub fn is_account_placeholder(account: &str) -> bool {
    is_placeholder(account) || is_account_word(account)
}

/// The account-field test of [`account_placeholder`].
fn is_account_word(account: &str) -> bool {
    // `{ACCOUNT_ID}`, as setup guides write the value to fill in (bionic-gpt/bionic-gpt
    // website install guide: `serviceAccountRoleARN: "arn:aws:iam::{ACCOUNT_ID}:role/…"`).
    let account = account
        .strip_prefix('{')
        .and_then(|a| a.strip_suffix('}'))
        .unwrap_or(account);
    let a = account.as_bytes();
    // Decided here for every real ARN (an account id's digits, `aws`, empty for S3): no
    // lower-cased copy is made for them.
    if a.len() < 3
        || !a
            .iter()
            .all(|c| c.is_ascii_alphabetic() || matches!(c, b'_' | b'-'))
    {
        return false;
    }
    let lower = account.to_ascii_lowercase();
    lower.contains("account")
        || lower.contains("acct")
        || (!a.iter().any(u8::is_ascii_lowercase) && lower != "aws")
}

/// `KarpenterControllerRole_ARN`, `IRSA_ROLE_ARN`, `roleArn`: a whole value that is one
/// identifier named for the ARN it stands for, as a `sed 's|KarpenterControllerRole_ARN|…|'`
/// step fills it (aws-samples/load-test-for-emr-on-eks infra-provision.sh@cef70921). Only
/// `_ARN`/`-ARN` in any case, or `Arn`/`ARN` after a lower-case letter (camel case), so that
/// `barn` or `YARN` are not.
fn names_an_arn(s: &str) -> bool {
    let b = s.as_bytes();
    if b.len() < 4
        || !b
            .iter()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, b'_' | b'-'))
    {
        return false;
    }
    let (head, tail) = s.split_at(s.len() - 3);
    let before = head.as_bytes()[head.len() - 1];
    head.bytes().any(|c| c.is_ascii_alphanumeric())
        && ((tail.eq_ignore_ascii_case("arn") && matches!(before, b'_' | b'-'))
            || ((tail == "Arn" || tail == "ARN") && before.is_ascii_lowercase()))
}

/// `__ROLE_ARN__`, `__ACCOUNT_ID__`: a token wrapped in double underscores, as sed- and
/// envsubst-style pipelines write them.
fn has_dunder_token(s: &str) -> bool {
    let find = |s: &str| s.as_bytes().windows(2).position(|w| w == b"__");
    let mut rest = s;
    while let Some(i) = find(rest) {
        let after = &rest[i + 2..];
        let Some(end) = find(after) else {
            return false;
        };
        let inner = &after[..end];
        if !inner.is_empty()
            && inner.starts_with(|c: char| c.is_ascii_alphabetic())
            && inner
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
        {
            return true;
        }
        rest = &after[end..];
    }
    false
}

/// `<account-id>`, `<ACCOUNT_ID>`, `<your role name>`: a word right after `<`, then words.
fn is_angle_placeholder(after_open: &str) -> bool {
    let Some(close) = after_open.find('>') else {
        return false;
    };
    let inner = &after_open[..close];
    inner.starts_with(|c: char| c.is_ascii_alphabetic())
        && inner
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "_-. ".contains(c))
}

/// A whole ARN part that only stands in for a value.
fn is_filler(part: &str) -> bool {
    // Compared ignoring ASCII case in place: every ServiceAccount's ARN goes through here,
    // several times per run, and a lowercased copy of each part cost an allocation.
    let part = part.as_bytes();
    // Every filler is at least 3 bytes long and starts with one of these letters: most parts
    // (`arn`, `aws`, an account id, a role name) are decided here.
    if part.len() < 3
        || !matches!(
            part[0].to_ascii_lowercase(),
            b'x' | b'r' | b'c' | b'p' | b't' | b'f' | b'y' | b'i'
        )
    {
        return false;
    }
    // Runs such as `xxxxxxxxxxxx` or `XXXX` (an account id or name left blank).
    let repeated_x = part.len() >= 4 && part.iter().all(|b| b.eq_ignore_ascii_case(&b'x'));
    let word = [
        "replaceme",
        "replace_me",
        "replace-me",
        "changeme",
        "change_me",
        "change-me",
        "placeholder",
        "todo",
        "tbd",
        "fixme",
    ]
    .iter()
    .any(|w| part.eq_ignore_ascii_case(w.as_bytes()));
    let prefixed = [
        "your_", "your-", "replace_", "replace-", "insert_", "insert-",
    ]
    .iter()
    .any(|p| part.len() >= p.len() && part[..p.len()].eq_ignore_ascii_case(p.as_bytes()));
    repeated_x || word || prefixed
}

/// An IAM OIDC identity provider, from `arn:<partition>:iam::<account>:oidc-provider/<issuer>`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OidcProvider {
    pub partition: String,
    pub account: String,
    /// Host and path of the issuer, without scheme: `oidc.eks.eu-west-1.amazonaws.com/id/ABC`.
    /// This is also the prefix of the provider's condition keys (`<issuer>:sub`).
    pub issuer: String,
}

impl OidcProvider {
    /// Parses a provider ARN. Placeholders in the partition or account are kept as text.
    pub fn parse(s: &str) -> Option<OidcProvider> {
        let arn = parse(s)?;
        if arn.service != "iam" {
            return None;
        }
        let issuer = arn.resource.strip_prefix("oidc-provider/")?;
        if issuer.is_empty() {
            return None;
        }
        Some(OidcProvider {
            partition: arn.partition.to_string(),
            account: arn.account.to_string(),
            issuer: issuer.to_string(),
        })
    }

    pub fn arn(&self) -> String {
        format!(
            "arn:{}:iam::{}:oidc-provider/{}",
            self.partition, self.account, self.issuer
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_keeps_resource_colons_and_placeholder_colons() {
        let a = parse("arn:aws:logs:eu-west-1:123456789012:log-group:x:*").unwrap();
        assert_eq!(
            (a.partition, a.service, a.region, a.account, a.resource),
            ("aws", "logs", "eu-west-1", "123456789012", "log-group:x:*")
        );
        let a = parse("arn:${AWS::Partition}:iam::${AWS::AccountId}:role/x").unwrap();
        assert_eq!(a.partition, "${AWS::Partition}");
        assert_eq!(a.account, "${AWS::AccountId}");
        assert_eq!(a.resource, "role/x");
        assert!(parse("arn:aws:iam::123456789012").is_none());
        assert!(parse("urn:aws:iam::1:role/x").is_none());
        assert!(parse("").is_none());
    }

    #[test]
    fn role_path_and_name_table() {
        let cases = [
            ("role/app", Some(("/", "app"))),
            ("role/path/to/app", Some(("/path/to/", "app"))),
            ("role/", Some(("/", ""))),
            ("user/app", None),
        ];
        for (res, want) in cases {
            let got = role_path_and_name(res);
            assert_eq!(got.as_ref().map(|(p, n)| (p.as_str(), *n)), want, "{res}");
        }
    }

    #[test]
    fn role_arn_problems() {
        let ok = [
            "arn:aws:iam::123456789012:role/app",
            "arn:aws-cn:iam::123456789012:role/a.b@c=d,e+f_g-h",
            "arn:aws-us-gov:iam::123456789012:role/path/to/app",
            "arn:aws-eusc:iam::123456789012:role/x",
        ];
        for s in ok {
            assert_eq!(role_arn_problem(s), None, "{s}");
        }
        // (input, a fragment of the message)
        let bad = [
            ("arn:aws:iam::123456789012:role/app\n", "line break"),
            (" arn:aws:iam::123456789012:role/app", "whitespace"),
            ("\"arn:aws:iam::123456789012:role/app\"", "quote"),
            ("arn:aws:iam::123456789012:role/my app", "whitespace"),
            ("aws:iam::123456789012:role/app", "`arn:`"),
            (
                "arn:aws:iam:123456789012:role/app",
                "5 colon-separated parts",
            ),
            (
                "arn:aws-mars:iam::123456789012:role/app",
                "partition `aws-mars` is unknown",
            ),
            ("arn:aws:sts::123456789012:role/app", "service is `sts`"),
            (
                "arn:aws:iam:us-east-1:123456789012:role/app",
                "region must be empty",
            ),
            ("arn:aws:iam::12345678901:role/app", "12-digit"),
            ("arn:aws:iam::1234567890ab:role/app", "12-digit"),
            ("arn:aws:iam::123456789012:role:app", "extra colon"),
            ("arn:aws:iam::123456789012:role/app:x", "extra colon"),
            ("arn:aws:iam::123456789012:user/app", "iam user, not a role"),
            (
                "arn:aws:iam::123456789012:oidc-provider/x",
                "oidc-provider, not a role",
            ),
            (
                "arn:aws:iam::123456789012:Role/app",
                "does not start with `role/`",
            ),
            ("arn:aws:iam::123456789012:", "empty resource"),
            ("arn:aws:iam::123456789012:role/", "role name is empty"),
            (
                "arn:aws:iam::123456789012:role/a#b",
                "invalid character '#'",
            ),
            ("arn:aws:iam::123456789012:role//app", "empty segment"),
            (
                "arn:${x:aws:iam::123456789012:role/app",
                "not a well-formed arn",
            ),
        ];
        for (s, frag) in bad {
            let msg = role_arn_problem(s).unwrap_or_else(|| panic!("no problem for {s:?}"));
            assert!(msg.contains(frag), "{s:?}: {msg:?} lacks {frag:?}");
            assert!(msg.starts_with(char::is_lowercase), "not lower-case: {msg}");
        }
        let long = format!("arn:aws:iam::123456789012:role/{}", "a".repeat(65));
        assert!(role_arn_problem(&long).unwrap().contains("maximum is 64"));
        let max = format!("arn:aws:iam::123456789012:role/{}", "a".repeat(64));
        assert_eq!(role_arn_problem(&max), None);
    }

    /// The account field alone, as the map reads a role ARN whose only open part is its
    /// account: every form `is_placeholder` takes in a whole ARN's account.
    #[test]
    fn account_placeholders() {
        for a in [
            "${AWS_ACCOUNT_ID}",
            "$ACCOUNT",
            "<account-id>",
            "ACCOUNT_ID",
            "{ACCOUNT_ID}",
            "AccountId",
            "xxxxxxxxxxxx",
        ] {
            assert!(is_account_placeholder(a), "{a}");
            // The same account inside a whole ARN is a placeholder too.
            assert!(is_placeholder(&format!("arn:aws:iam::{a}:role/app")), "{a}");
        }
        for a in ["111122223333", "123456789012", "aws", "", "{111122223333}"] {
            assert!(!is_account_placeholder(a), "{a}");
        }
    }

    #[test]
    fn placeholders() {
        let yes = [
            "arn:aws:iam::${ACCOUNT_ID}:role/app",
            "arn:aws:iam::$ACCOUNT:role/app",
            "arn:aws:iam::$(ACCOUNT):role/app",
            "arn:aws:iam::<account-id>:role/app",
            "arn:aws:iam::{{ .Values.account }}:role/app",
            "arn:aws:iam::%{account}:role/app",
            "arn:aws:iam::xxxxxxxxxxxx:role/app",
            "arn:aws:iam::XXXXXXXXXXXX:role/app",
            "arn:aws:iam::123456789012:role/REPLACE_ME",
            "arn:aws:iam::YOUR_ACCOUNT_ID:role/app",
            "CHANGEME",
            "__ROLE_ARN__",
            "arn:aws:iam::__ACCOUNT_ID__:role/app",
            "arn:aws:iam::#{AccountId}:role/app",
            "KarpenterControllerRole_ARN",
            "IRSA_ROLE_ARN",
            "role-arn",
            "roleArn",
            "KarpenterRoleARN",
            "arn:aws:iam::ACCOUNT_ID:role/ROLE_NAME",
            "arn:aws:iam::AWS_ACCOUNT:role/app",
            "arn:aws:iam::AccountId:role/app",
            "arn:aws:iam::account-id:role/app",
            "arn:aws:iam::ACCT:role/app",
            "arn:aws-cn:iam::ACCOUNTNUMBER:role/app",
            // Upper case without the word, down to three letters.
            "arn:aws:iam::MY_AWS_ID:role/app",
            "arn:aws:iam::ACC:role/app",
            // A word in braces, as a setup guide writes the value to fill in.
            "arn:aws:iam::{ACCOUNT_ID}:role/eksctl-cluster-ebs-role",
            "arn:aws:iam::{account}:role/app",
        ];
        for s in yes {
            assert!(is_placeholder(s), "{s}");
        }
        let no = [
            "arn:aws:iam::123456789012:role/app",
            "arn:aws:iam::111122223333:role/todo-app",
            "arn:aws:iam::123456789012:role/box",
            "price: $5",
            "a < b > ",
            "arn:aws:iam::123456789012:role/my__app",
            "arn:aws:iam::123456789012:role/__",
            "barn",
            "YARN",
            "_arn",
            "arn",
            "my-role",
            "arn:aws:iam::123456789012:role/app_arn",
            "role.arn",
            "arn:aws:iam::aws:policy/AdministratorAccess",
            "arn:aws:iam::AWS:policy/AdministratorAccess",
            "arn:aws:iam::12345678901a:role/app",
            "arn:aws:iam::ab:role/app",
            "arn:aws:iam::Acme:role/app",
            "arn:aws:iam:ACCOUNT_ID::role/app",
            // Braces around what is not a word for the account.
            "arn:aws:iam::{Acme}:role/app",
            "arn:aws:iam::{123456789012}:role/app",
        ];
        for s in no {
            assert!(!is_placeholder(s), "{s}");
        }
    }

    /// The placeholder test as it was before its one-pass rewrite (four scans and a split):
    /// the reference the rewrite must agree with.
    fn is_placeholder_reference(s: &str) -> bool {
        let marker = s.as_bytes().windows(2).any(|w| match w[0] {
            b'$' => w[1] == b'{' || w[1] == b'(' || w[1] == b'_' || w[1].is_ascii_alphabetic(),
            b'{' | b'%' | b'#' => w[1] == b'{',
            _ => false,
        });
        marker
            || (!s.contains([':', '/']) && names_an_arn(s))
            || has_dunder_token(s)
            || account_placeholder(s)
            || s.match_indices('<')
                .any(|(i, _)| is_angle_placeholder(&s[i + 1..]))
            || s.split([':', '/']).any(|part| {
                let l = part.to_ascii_lowercase();
                (l.len() >= 4 && l.bytes().all(|b| b == b'x'))
                    || [
                        "replaceme",
                        "replace_me",
                        "replace-me",
                        "changeme",
                        "change_me",
                        "change-me",
                        "placeholder",
                        "todo",
                        "tbd",
                        "fixme",
                    ]
                    .contains(&l.as_str())
                    || [
                        "your_", "your-", "replace_", "replace-", "insert_", "insert-",
                    ]
                    .iter()
                    .any(|p| l.starts_with(p))
            })
    }

    #[test]
    fn placeholder_fillers_anywhere() {
        for s in [
            "tbd",
            "arn:aws:iam::123456789012:role/TBD",
            "arn:aws:iam::123456789012:role/insert-role-name",
            "arn:aws:iam::123456789012:FixMe/app",
            "arn:aws:iam::123456789012:role/xxxx",
            "arn:aws:iam::123456789012:role/app/your_path",
            "%{",
            "ab{{",
        ] {
            assert!(is_placeholder(s), "{s}");
        }
        for s in [
            "",
            ":",
            "x",
            "xxx",
            "tb",
            "arn:aws:iam::123456789012:role/to",
            "{",
            "$1",
            "#",
        ] {
            assert!(!is_placeholder(s), "{s}");
        }
    }

    proptest::proptest! {
        /// The one-pass shortcut for plain role ARNs never disagrees with the full checks.
        #[test]
        fn plain_role_arn_shortcut_agrees(
            parts in proptest::collection::vec(
                proptest::sample::select(vec![
                    "arn", "aws", "aws-cn", "awz", "iam", "s3", "role", "user", "app", "a.b@c",
                    "123456789012", "12345678901", "1234567890123", ":", "::", "/", "//", " ",
                    "\n", "\"", "${X}", "é", "x", "-", "_",
                ]),
                0..14,
            )
        ) {
            let s: String = parts.concat();
            proptest::prop_assert_eq!(role_arn_problem(&s), role_arn_problem_checked(&s), "{:?}", s);
        }

        #[test]
        fn plain_role_arns_are_well_formed(name in "[A-Za-z0-9_+=,.@-]{1,70}") {
            let s = format!("arn:aws:iam::123456789012:role/{name}");
            proptest::prop_assert_eq!(is_plain_role_arn(&s), name.len() <= 64);
            proptest::prop_assert_eq!(role_arn_problem(&s), role_arn_problem_checked(&s));
        }

        /// Strings made of ARN pieces, filler words and every character the test looks at.
        #[test]
        fn placeholder_agrees_with_reference(
            parts in proptest::collection::vec(
                proptest::sample::select(vec![
                    "arn", "aws", "iam", "role", "app", "123456789012", "xXxX", "xxx", "tbd",
                    "TODO", "todo-app", "fixme", "Replace_Me", "your-", "insert_x", "placeholder",
                    ":", "/", "$", "{", "(", "_", "__", "<", ">", "%", "#", "a", "Z", " ", "-", ".",
                    "é", "\u{2028}",
                ]),
                0..12,
            )
        ) {
            let s: String = parts.concat();
            proptest::prop_assert_eq!(is_placeholder(&s), is_placeholder_reference(&s), "{:?}", s);
        }
    }

    #[test]
    fn oidc_provider_arns() {
        let p = OidcProvider::parse(
            "arn:aws:iam::123456789012:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/ABC",
        )
        .unwrap();
        assert_eq!(p.partition, "aws");
        assert_eq!(p.account, "123456789012");
        assert_eq!(p.issuer, "oidc.eks.eu-west-1.amazonaws.com/id/ABC");
        assert_eq!(
            p.arn(),
            "arn:aws:iam::123456789012:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/ABC"
        );
        let p = OidcProvider::parse(
            "arn:${AWS::Partition}:iam::${AWS::AccountId}:oidc-provider/token.actions.githubusercontent.com",
        )
        .unwrap();
        assert_eq!(p.issuer, "token.actions.githubusercontent.com");
        assert!(OidcProvider::parse("arn:aws:iam::123456789012:role/x").is_none());
        assert!(OidcProvider::parse("arn:aws:iam::123456789012:oidc-provider/").is_none());
        assert!(OidcProvider::parse("accounts.google.com").is_none());
    }
}
