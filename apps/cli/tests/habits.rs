//! Command-line habits: completions, JSON failures, closed sets, options only where they apply.

use assert_cmd::Command;
use serde_json::Value;

fn alto() -> Command {
    let mut cmd = Command::cargo_bin("alto").unwrap();
    for var in [
        "ALTO_ENV",
        "ALTO_API_URL",
        "ALTO_TOKEN_URL",
        "ALTO_CLIENT_ID",
        "ALTO_CLIENT_SECRET",
        "ALTO_AGENCY_REF",
    ] {
        cmd.env_remove(var);
    }
    cmd
}

fn json_failure(out: &std::process::Output) -> Value {
    let text = String::from_utf8_lossy(&out.stderr);
    let line = text.lines().last().unwrap_or_default();
    serde_json::from_str(line)
        .unwrap_or_else(|e| panic!("stderr is not one JSON object ({e}): {text}"))
}

#[test]
fn bash_completion_names_the_commands_and_closed_values() {
    let out = alto().args(["completions", "bash"]).output().unwrap();
    assert!(out.status.success());
    let script = String::from_utf8(out.stdout).unwrap();
    assert!(script.contains("complete -F"), "a bash completion script");
    for word in [
        "reference-checks",
        "completions",
        "UnderOffer",
        "production",
    ] {
        assert!(script.contains(word), "the script offers {word}");
    }
}

#[test]
fn a_failing_json_command_prints_one_json_error() {
    // No credentials anywhere: a configuration failure.
    let out = alto()
        .args(["--json", "contacts", "get", "42"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let failure = json_failure(&out);
    assert_eq!(failure["kind"], "usage");
    assert!(
        failure["error"].as_str().unwrap().contains("credentials"),
        "{failure}"
    );
    assert!(
        failure["hint"].as_str().unwrap().contains("ALTO_CLIENT_ID"),
        "{failure}"
    );
    assert!(out.stdout.is_empty());
}

#[test]
fn a_wrong_command_line_with_json_is_a_json_usage_error() {
    let out = alto()
        .args(["--json", "listings", "list", "--status", "Sold-ish"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let failure = json_failure(&out);
    assert_eq!(failure["kind"], "usage");
    assert!(
        failure["error"].as_str().unwrap().contains("Sold-ish"),
        "{failure}"
    );
}

#[test]
fn closed_sets_refuse_unknown_values_and_list_the_known_ones() {
    let out = alto()
        .args([
            "documents",
            "list",
            "--contact",
            "1",
            "--media-type",
            "Poster",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let text = String::from_utf8_lossy(&out.stderr);
    assert!(
        text.contains("Floorplan") && text.contains("Brochure"),
        "{text}"
    );
    let out = alto().args(["--env", "staging", "demo"]).output().unwrap();
    assert_eq!(
        out.status.code(),
        Some(2),
        "--env is not an option of alto itself"
    );
}

#[test]
fn connection_options_show_only_on_commands_that_connect() {
    let help = |args: &[&str]| {
        let out = alto().args(args).arg("--help").output().unwrap();
        assert!(out.status.success());
        String::from_utf8(out.stdout).unwrap()
    };
    for offline in [&["spec", "import"][..], &["sim", "serve"], &["completions"]] {
        let text = help(offline);
        assert!(!text.contains("--api-url"), "{offline:?}: {text}");
        assert!(!text.contains("--agency-ref"), "{offline:?}: {text}");
    }
    for online in [
        &["contacts", "get"][..],
        &["reference-checks", "list"],
        &["poll"],
        &["demo"],
    ] {
        let text = help(online);
        assert!(
            text.contains("--api-url") && text.contains("--env"),
            "{online:?}: {text}"
        );
    }
}

#[test]
fn quiet_and_verbose_are_accepted_everywhere() {
    let out = alto().args(["-q", "spec", "--help"]).output().unwrap();
    assert!(out.status.success());
    let out = alto()
        .args(["completions", "fish", "-vv"])
        .output()
        .unwrap();
    assert!(out.status.success());
}
