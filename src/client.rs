//! `AltoClient`: environments, credentials, timeouts and one connection pool; and
//! `AgencyClient`, the client scoped to one agency that every workflow helper hangs off.

use std::collections::BTreeMap;
use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use crate::agency::{AgencyDirectory, AgencyRecord, AgencyRef, StoredAgencyRefInvalid};
use crate::auth::{Credentials, TokenSource};
use crate::environment::Environment;
use crate::error::{AltoError, ConfigError};
use crate::raw::{self, retry::RetryPolicy, Context};

/// Where an environment's API and token endpoint live.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Endpoints {
    /// API base URL, without a trailing slash.
    pub api_url: String,
    /// OAuth2 token URL.
    pub token_url: String,
}

impl Endpoints {
    /// Zoopla's hosts for `environment`.
    pub fn of(environment: Environment) -> Self {
        Self {
            api_url: environment.api_url().to_string(),
            token_url: environment.token_url(),
        }
    }

    /// Custom URLs (a simulator, a proxy, a test server).
    ///
    /// Each must be `https`, or plain `http` on a loopback host (`localhost`, `127.0.0.0/8`,
    /// `[::1]`): over plain HTTP anywhere else the client secret, the bearer token and the
    /// `AgencyRef` would cross the network readable by anyone on the path.
    pub fn custom(
        api_url: impl Into<String>,
        token_url: impl Into<String>,
    ) -> Result<Self, ConfigError> {
        let api_url = api_url.into().trim_end_matches('/').to_string();
        let token_url = token_url.into();
        for (setting, value) in [("API URL", &api_url), ("token URL", &token_url)] {
            let parsed = url::Url::parse(value).map_err(|_| ConfigError::InvalidUrl {
                setting,
                value: value.clone(),
            })?;
            match parsed.scheme() {
                "https" => {}
                "http" if is_loopback(&parsed) => {}
                "http" => {
                    return Err(ConfigError::InsecureUrl {
                        setting,
                        value: value.clone(),
                    })
                }
                _ => {
                    return Err(ConfigError::InvalidUrl {
                        setting,
                        value: value.clone(),
                    })
                }
            }
        }
        Ok(Self { api_url, token_url })
    }
}

/// Whether `url` names this machine, where plain HTTP never leaves it.
fn is_loopback(url: &url::Url) -> bool {
    match url.host() {
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        Some(url::Host::Domain(name)) => name.eq_ignore_ascii_case("localhost"),
        None => false,
    }
}

struct EnvironmentSetup {
    endpoints: Endpoints,
    tokens: Arc<TokenSource>,
}

struct Shared {
    http: reqwest::Client,
    environments: BTreeMap<Environment, EnvironmentSetup>,
    default_environment: Environment,
    retry: RetryPolicy,
}

/// The entry point: holds one credential set per environment and one connection pool.
///
/// Cheap to clone. Scope it to an agency with [`AltoClient::agency`] (or
/// [`AltoClient::for_record`] / [`AltoClient::resolve_agency`]) and call the workflow helpers there.
///
/// ```
/// use alto::{AltoClient, Credentials, Endpoints, Environment};
/// let client = AltoClient::builder()
///     .environment(Environment::Sandbox, Endpoints::custom("http://127.0.0.1:9", "http://127.0.0.1:9/token")?, Credentials::new("id", "secret"))
///     .build()?;
/// let sandbox = client.agency(Environment::Sandbox, None, "demo")?;
/// assert_eq!(sandbox.environment(), Environment::Sandbox);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone)]
pub struct AltoClient {
    shared: Arc<Shared>,
}

impl fmt::Debug for AltoClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let envs: Vec<_> = self
            .shared
            .environments
            .iter()
            .map(|(env, s)| format!("{env}: {} ({:?})", s.endpoints.api_url, s.tokens))
            .collect();
        f.debug_struct("AltoClient")
            .field("environments", &envs)
            .field("default_environment", &self.shared.default_environment)
            .finish()
    }
}

/// Builds an [`AltoClient`].
#[derive(Debug)]
pub struct AltoClientBuilder {
    environments: BTreeMap<Environment, (Endpoints, Credentials)>,
    default_environment: Option<Environment>,
    timeout: Duration,
    connect_timeout: Duration,
    token_margin: Duration,
    retry: RetryPolicy,
    http: Option<reqwest::Client>,
}

impl Default for AltoClientBuilder {
    fn default() -> Self {
        Self {
            environments: BTreeMap::new(),
            default_environment: None,
            timeout: Duration::from_secs(30),
            connect_timeout: Duration::from_secs(10),
            token_margin: Duration::from_secs(60),
            retry: RetryPolicy::default(),
            http: None,
        }
    }
}

impl AltoClientBuilder {
    /// Sandbox credentials, on Zoopla's sandbox hosts.
    pub fn sandbox(self, credentials: Credentials) -> Self {
        self.environment(
            Environment::Sandbox,
            Endpoints::of(Environment::Sandbox),
            credentials,
        )
    }

    /// Production credentials, on Zoopla's production hosts.
    pub fn production(self, credentials: Credentials) -> Self {
        self.environment(
            Environment::Production,
            Endpoints::of(Environment::Production),
            credentials,
        )
    }

    /// Credentials and endpoints for one environment (custom URLs for tests and proxies).
    pub fn environment(
        mut self,
        environment: Environment,
        endpoints: Endpoints,
        credentials: Credentials,
    ) -> Self {
        self.environments
            .insert(environment, (endpoints, credentials));
        self
    }

    /// The environment [`AltoClient::default_agency`] uses (default: the only one configured,
    /// or sandbox).
    pub fn default_environment(mut self, environment: Environment) -> Self {
        self.default_environment = Some(environment);
        self
    }

    /// Total time allowed for one HTTP attempt (default 30 s).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// Time allowed to open a connection (default 10 s).
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// Refresh tokens this long before they expire (default 60 s; at most half a token's
    /// lifetime, so short-lived tokens are still reused).
    pub fn token_refresh_margin(mut self, margin: Duration) -> Self {
        self.token_margin = margin;
        self
    }

    /// Retry policy for calls that are safe to retry.
    pub fn retry(mut self, retry: RetryPolicy) -> Self {
        self.retry = retry;
        self
    }

    /// Use this `reqwest::Client` (its pool, TLS and proxy settings) instead of a new one.
    ///
    /// Build it with `.redirect(reqwest::redirect::Policy::none())`, as the client's own is:
    /// reqwest's default follows redirects and would send the `AgencyRef` header on to the
    /// host a redirect names.
    pub fn http_client(mut self, http: reqwest::Client) -> Self {
        self.http = Some(http);
        self
    }

    /// Reads `ALTO_CLIENT_ID`, `ALTO_CLIENT_SECRET`, `ALTO_ENV` (`sandbox` by default) and the
    /// optional overrides `ALTO_API_URL` and `ALTO_TOKEN_URL`.
    pub fn from_env(self) -> Result<Self, ConfigError> {
        self.from_env_with(EnvOverrides::default())
    }

    /// As [`from_env`](Self::from_env), with `overrides` (a command line's flags, say) taking
    /// precedence over the variables. This is the one place the toolkit reads its connection
    /// settings from the environment.
    pub fn from_env_with(self, overrides: EnvOverrides) -> Result<Self, ConfigError> {
        let var = |k: &str| std::env::var(k).ok().filter(|v| !v.trim().is_empty());
        let environment = match (overrides.environment, var("ALTO_ENV")) {
            (Some(environment), _) => environment,
            (None, Some(name)) => name
                .parse::<Environment>()
                .map_err(|e| ConfigError::Invalid(format!("ALTO_ENV: {e}")))?,
            (None, None) => Environment::Sandbox,
        };
        let credentials = match overrides.credentials {
            Some(credentials) => credentials,
            None => match (var("ALTO_CLIENT_ID"), var("ALTO_CLIENT_SECRET")) {
                (Some(id), Some(secret)) => Credentials::new(id, secret),
                _ => return Err(ConfigError::MissingCredentials { environment }),
            },
        };
        let defaults = Endpoints::of(environment);
        let api_url = overrides
            .api_url
            .or_else(|| var("ALTO_API_URL"))
            .unwrap_or(defaults.api_url);
        let token_url = overrides
            .token_url
            .or_else(|| var("ALTO_TOKEN_URL"))
            .unwrap_or_else(|| format!("{}/token", api_url.trim_end_matches('/')));
        let endpoints = Endpoints::custom(api_url, token_url)?;
        Ok(self
            .environment(environment, endpoints, credentials)
            .default_environment(environment))
    }

    /// Builds the client. Fails when no environment is configured.
    pub fn build(self) -> Result<AltoClient, ConfigError> {
        if self.environments.is_empty() {
            return Err(ConfigError::MissingCredentials {
                environment: self.default_environment.unwrap_or(Environment::Sandbox),
            });
        }
        let http = match self.http {
            Some(http) => http,
            // Redirects are never followed: reqwest would carry the `AgencyRef` header (and any
            // body) to whatever host a `Location` names. A 3xx comes back as
            // `AltoError::Redirected` instead.
            None => reqwest::Client::builder()
                .redirect(reqwest::redirect::Policy::none())
                .timeout(self.timeout)
                .connect_timeout(self.connect_timeout)
                .user_agent(concat!("alto-rs/", env!("CARGO_PKG_VERSION")))
                .build()
                .map_err(|e| ConfigError::Invalid(format!("HTTP client: {e}")))?,
        };
        let default_environment = self
            .default_environment
            .or_else(|| {
                (self.environments.len() == 1)
                    .then(|| *self.environments.keys().next().expect("one"))
            })
            .unwrap_or(Environment::Sandbox);
        let environments = self
            .environments
            .into_iter()
            .map(|(env, (endpoints, credentials))| {
                let tokens = Arc::new(
                    TokenSource::new(
                        http.clone(),
                        endpoints.token_url.clone(),
                        credentials,
                        self.token_margin,
                    )
                    .with_retry(self.retry),
                );
                (env, EnvironmentSetup { endpoints, tokens })
            })
            .collect();
        Ok(AltoClient {
            shared: Arc::new(Shared {
                http,
                environments,
                default_environment,
                retry: self.retry,
            }),
        })
    }
}

/// Connection settings that take precedence over the environment variables read by
/// [`AltoClientBuilder::from_env_with`]; unset ones fall back to the variables, then to the
/// environment's defaults.
///
/// ```
/// use alto::{AltoClient, EnvOverrides, Environment};
/// let overrides = EnvOverrides::default()
///     .environment(Environment::Sandbox)
///     .api_url("http://127.0.0.1:8787");
/// let built = AltoClient::builder().from_env_with(overrides);
/// // Without ALTO_CLIENT_ID / ALTO_CLIENT_SECRET the builder says what is missing.
/// # let _ = built;
/// ```
#[derive(Debug, Clone, Default)]
#[non_exhaustive]
pub struct EnvOverrides {
    /// The environment, instead of `ALTO_ENV`.
    pub environment: Option<Environment>,
    /// The API base URL, instead of `ALTO_API_URL`.
    pub api_url: Option<String>,
    /// The token URL, instead of `ALTO_TOKEN_URL`.
    pub token_url: Option<String>,
    /// The credentials, instead of `ALTO_CLIENT_ID` and `ALTO_CLIENT_SECRET`.
    pub credentials: Option<Credentials>,
}

impl EnvOverrides {
    /// Uses `environment` instead of `ALTO_ENV`.
    pub fn environment(mut self, environment: Environment) -> Self {
        self.environment = Some(environment);
        self
    }

    /// Uses `url` instead of `ALTO_API_URL`.
    pub fn api_url(mut self, url: impl Into<String>) -> Self {
        self.api_url = Some(url.into());
        self
    }

    /// Uses `url` instead of `ALTO_TOKEN_URL`.
    pub fn token_url(mut self, url: impl Into<String>) -> Self {
        self.token_url = Some(url.into());
        self
    }

    /// Uses `credentials` instead of `ALTO_CLIENT_ID` and `ALTO_CLIENT_SECRET`.
    pub fn credentials(mut self, credentials: Credentials) -> Self {
        self.credentials = Some(credentials);
        self
    }
}

impl AltoClient {
    /// A builder with no environments configured.
    pub fn builder() -> AltoClientBuilder {
        AltoClientBuilder::default()
    }

    /// A client configured from the environment variables (see [`AltoClientBuilder::from_env`]).
    pub fn from_env() -> Result<Self, ConfigError> {
        Self::builder().from_env()?.build()
    }

    /// The environment used when none is named.
    pub fn default_environment(&self) -> Environment {
        self.shared.default_environment
    }

    /// Endpoints configured for `environment`, if any.
    pub fn endpoints(&self, environment: Environment) -> Option<&Endpoints> {
        self.shared
            .environments
            .get(&environment)
            .map(|s| &s.endpoints)
    }

    /// The token source of `environment`, if configured.
    pub fn token_source(&self, environment: Environment) -> Option<&Arc<TokenSource>> {
        self.shared
            .environments
            .get(&environment)
            .map(|s| &s.tokens)
    }

    /// The shared `reqwest::Client` (one connection pool for everything).
    pub fn http(&self) -> &reqwest::Client {
        &self.shared.http
    }

    /// Scopes the client to one agency.
    ///
    /// In production the agency must have an `AgencyRef`: without one this fails with
    /// [`ConfigError::MissingAgencyRef`] before anything is sent. In sandbox the `AgencyRef` is
    /// ignored (never sent), so the same code serves both environments.
    pub fn agency(
        &self,
        environment: Environment,
        agency_ref: Option<AgencyRef>,
        label: &str,
    ) -> Result<AgencyClient, AltoError> {
        let setup = self
            .shared
            .environments
            .get(&environment)
            .ok_or(ConfigError::MissingCredentials { environment })?;
        let agency_ref = match environment {
            Environment::Production => {
                Some(agency_ref.ok_or_else(|| ConfigError::MissingAgencyRef {
                    agency: label.to_string(),
                })?)
            }
            Environment::Sandbox => None,
        };
        let context = Context::new(environment, Some(setup.tokens.clone()))
            .with_agency_ref(agency_ref)
            .with_agency_label(label)
            .with_retry(self.shared.retry);
        let raw = raw::Client::new_with_client(
            &setup.endpoints.api_url,
            self.shared.http.clone(),
            context,
        );
        Ok(AgencyClient {
            inner: Arc::new(AgencyInner {
                raw,
                tokens: setup.tokens.clone(),
                label: label.to_string(),
            }),
        })
    }

    /// Scopes the client to the default environment with an optional `AgencyRef` (seed 001: every
    /// call takes an optional agency ref; sandbox ignores it, production requires it).
    pub fn default_agency(&self, agency_ref: Option<AgencyRef>) -> Result<AgencyClient, AltoError> {
        let label = agency_ref
            .as_ref()
            .map(|r| r.to_string())
            .unwrap_or_else(|| "default".into());
        self.agency(self.shared.default_environment, agency_ref, &label)
    }

    /// Scopes the client to an agency record from the admin store.
    pub fn for_record(&self, record: &AgencyRecord) -> Result<AgencyClient, AltoError> {
        let label = format!("{} ({})", record.display_name, record.internal_id);
        self.agency(record.environment, record.agency_ref.clone(), &label)
    }

    /// Looks an agency up by internal id in `directory` and scopes the client to it, applying
    /// the production rule before any network call: a production agency without an
    /// `AgencyRef` fails with [`ConfigError::MissingAgencyRef`], one whose stored value is not
    /// a valid `AgencyRef` (the directory answers [`StoredAgencyRefInvalid`]) with
    /// [`ConfigError::InvalidAgencyRef`].
    pub async fn resolve_agency(
        &self,
        directory: &dyn AgencyDirectory,
        internal_id: &str,
    ) -> Result<AgencyClient, AltoError> {
        let record = directory
            .find_agency(internal_id)
            .await
            .map_err(directory_error)?
            .ok_or_else(|| ConfigError::UnknownAgency(internal_id.to_string()))?;
        self.for_record(&record)
    }
}

/// A directory's error as a [`ConfigError`]: a stored `AgencyRef` that is not valid keeps its
/// own variant (whether the directory boxed it once or, through `?` on a `Box`, twice).
fn directory_error(error: crate::agency::DirectoryError) -> ConfigError {
    let invalid = match error.downcast::<StoredAgencyRefInvalid>() {
        Ok(invalid) => *invalid,
        Err(other) => match other.downcast::<Box<StoredAgencyRefInvalid>>() {
            Ok(invalid) => **invalid,
            Err(other) => return ConfigError::Directory(other.to_string()),
        },
    };
    ConfigError::InvalidAgencyRef {
        agency: invalid.agency,
        reason: invalid.reason,
    }
}

struct AgencyInner {
    raw: raw::Client,
    tokens: Arc<TokenSource>,
    label: String,
}

/// A client scoped to one agency: every call carries its `AgencyRef` in production.
///
/// Cheap to clone. The workflow helpers ([`AgencyClient::contacts`], …) live here; for anything
/// they do not wrap, use [`AgencyClient::raw`].
#[derive(Clone)]
pub struct AgencyClient {
    inner: Arc<AgencyInner>,
}

impl fmt::Debug for AgencyClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AgencyClient")
            .field("agency", &self.inner.label)
            .field("environment", &self.environment())
            .field("agency_ref", &self.agency_ref())
            .field("api_url", &self.inner.raw.baseurl())
            .finish()
    }
}

impl AgencyClient {
    /// The generated client for all 112 operations, with this agency's context.
    pub fn raw(&self) -> &raw::Client {
        &self.inner.raw
    }

    /// The environment calls go to.
    pub fn environment(&self) -> Environment {
        self.inner.raw.inner().environment()
    }

    /// The `AgencyRef` sent with every call (always `None` in sandbox).
    pub fn agency_ref(&self) -> Option<&AgencyRef> {
        self.inner.raw.inner().agency_ref()
    }

    /// The API base URL calls go to.
    pub fn api_url(&self) -> &str {
        self.inner.raw.baseurl()
    }

    /// The agency's name in logs and errors.
    pub fn label(&self) -> &str {
        &self.inner.label
    }

    /// Gets a token now (cached when fresh). Calls do this themselves; use it to check
    /// credentials up front.
    pub async fn authenticate(&self) -> Result<(), AltoError> {
        self.inner.tokens.token().await?;
        Ok(())
    }

    pub(crate) fn tokens(&self) -> &Arc<TokenSource> {
        &self.inner.tokens
    }
}

use progenitor_client::ClientInfo as _;
