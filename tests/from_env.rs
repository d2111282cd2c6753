//! `AltoClientBuilder::from_env_with`: overrides win over the variables, the variables over the
//! environment's defaults. One test, so nothing else in this binary races on the variables.

use alto::{AltoClient, ConfigError, Credentials, EnvOverrides, Environment};

const VARS: [&str; 5] = [
    "ALTO_ENV",
    "ALTO_CLIENT_ID",
    "ALTO_CLIENT_SECRET",
    "ALTO_API_URL",
    "ALTO_TOKEN_URL",
];

fn set(pairs: &[(&str, &str)]) {
    for var in VARS {
        std::env::remove_var(var);
    }
    for (k, v) in pairs {
        std::env::set_var(k, v);
    }
}

fn build(overrides: EnvOverrides) -> Result<AltoClient, ConfigError> {
    AltoClient::builder().from_env_with(overrides)?.build()
}

#[test]
fn overrides_then_variables_then_defaults() {
    set(&[
        ("ALTO_ENV", "production"),
        ("ALTO_CLIENT_ID", "id"),
        ("ALTO_CLIENT_SECRET", "secret-from-env"),
        ("ALTO_API_URL", "https://api.env.example"),
    ]);
    let client = build(EnvOverrides::default()).unwrap();
    assert_eq!(client.default_environment(), Environment::Production);
    let endpoints = client.endpoints(Environment::Production).unwrap();
    assert_eq!(endpoints.api_url, "https://api.env.example");
    assert_eq!(endpoints.token_url, "https://api.env.example/token");

    let flags = EnvOverrides::default()
        .environment(Environment::Sandbox)
        .api_url("https://api.flag.example");
    let client = build(flags).unwrap();
    assert_eq!(client.default_environment(), Environment::Sandbox);
    let endpoints = client.endpoints(Environment::Sandbox).unwrap();
    assert_eq!(endpoints.api_url, "https://api.flag.example");
    assert_eq!(endpoints.token_url, "https://api.flag.example/token");

    std::env::set_var("ALTO_TOKEN_URL", "https://login.env.example/token");
    let client = build(EnvOverrides::default()).unwrap();
    let endpoints = client.endpoints(Environment::Production).unwrap();
    assert_eq!(endpoints.token_url, "https://login.env.example/token");

    set(&[("ALTO_ENV", "production")]);
    let client = build(EnvOverrides::default());
    assert!(matches!(
        client,
        Err(ConfigError::MissingCredentials {
            environment: Environment::Production
        })
    ));
    let with_credentials =
        EnvOverrides::default().credentials(Credentials::new("id", "secret-from-code"));
    let client = build(with_credentials).unwrap();
    let endpoints = client.endpoints(Environment::Production).unwrap();
    assert_eq!(endpoints.api_url, "https://api.alto.zoopla.co.uk");

    set(&[
        ("ALTO_ENV", "staging"),
        ("ALTO_CLIENT_ID", "id"),
        ("ALTO_CLIENT_SECRET", "secret"),
    ]);
    match build(EnvOverrides::default()) {
        Err(ConfigError::Invalid(message)) => assert!(message.contains("ALTO_ENV"), "{message}"),
        other => panic!("expected an invalid ALTO_ENV, got {other:?}"),
    }
    let flagged = build(EnvOverrides::default().environment(Environment::Sandbox)).unwrap();
    assert_eq!(
        flagged.default_environment(),
        Environment::Sandbox,
        "the flag wins"
    );
    set(&[]);
}
