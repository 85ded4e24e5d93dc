//! git's http settings for the cache's fetch: gix reads `http.proxy` (and `http_proxy` /
//! `https_proxy` / `no_proxy`), `http.sslCAInfo` (and `GIT_SSL_CAINFO`) and
//! `gitoxide.http.connectTimeout` into its transport options, but its reqwest backend applies
//! none of them (it has a fixed 20 s connect timeout). This hands them to reqwest through the
//! backend's `configure_client` hook, with `factory.timeout` as the connect timeout when set.
//! `SSL_CERT_FILE` is honoured by reqwest's rustls verifier itself.
//!
//! Not here: credentials (see `fetch::authenticate`), ssh (see `ssh`).

use std::any::Any;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use gix::protocol::transport::client::blocking_io::http;

/// What reqwest must be told, read from gix's options.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Settings {
    pub proxy: Option<String>,
    pub no_proxy: Option<String>,
    pub ca_file: Option<std::path::PathBuf>,
    pub connect_timeout: Option<Duration>,
}

/// The transport options for `url` from the repository's config, with the reqwest backend
/// configured from them; `None` for non-http URLs.
pub fn transport_options(
    repo: &gix::Repository,
    url: &str,
    timeout: Option<Duration>,
) -> gix::Result<Option<Box<dyn Any>>> {
    let Some(options) = repo.transport_options(url, None)? else { return Ok(None) };
    let mut options = match options.downcast::<http::Options>() {
        Ok(o) => o,
        Err(other) => return Ok(Some(other)),
    };
    let settings = Settings {
        proxy: options.proxy.clone().filter(|p| !p.trim().is_empty()),
        no_proxy: options.no_proxy.clone(),
        ca_file: options.ssl_ca_info.clone(),
        connect_timeout: timeout.or(options.connect_timeout),
    };
    let backend = http::reqwest::Options {
        configure_client: Some(Box::new(move |builder| configure(builder, &settings))),
        configure_request: None,
    };
    options.backend = Some(Arc::new(Mutex::new(backend)) as Arc<Mutex<dyn Any + Send + Sync + 'static>>);
    Ok(Some(options))
}

/// Apply `settings` to reqwest's client builder.
fn configure(
    mut builder: reqwest::blocking::ClientBuilder,
    settings: &Settings,
) -> gix::Result<reqwest::blocking::ClientBuilder> {
    use gix::error::{message, ResultExt};
    if let Some(proxy) = &settings.proxy {
        let mut p = reqwest::Proxy::all(proxy.as_str()).or_raise(|| message("invalid http.proxy"))?;
        if let Some(no) = &settings.no_proxy {
            p = p.no_proxy(reqwest::NoProxy::from_string(no));
        }
        builder = builder.proxy(p);
    }
    if let Some(path) = &settings.ca_file {
        let pem = std::fs::read(path).or_raise(|| message("cannot read the http.sslCAInfo file"))?;
        let certs =
            reqwest::Certificate::from_pem_bundle(&pem).or_raise(|| message("invalid http.sslCAInfo"))?;
        builder = builder.tls_certs_merge(certs);
    }
    if let Some(t) = settings.connect_timeout {
        builder = builder.connect_timeout(t);
    }
    Ok(builder)
}
