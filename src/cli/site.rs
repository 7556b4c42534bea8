//! `reti export --site`: the static website.

use super::*;

pub(super) fn export_site(
    data: DataArgs,
    queries: PathBuf,
    config: PathBuf,
    sparql_endpoint: Option<String>,
    dir: &std::path::Path,
) -> Result<(), Failure> {
    let base = Base::new(&data.base).map_err(|e| usage(e.to_string()))?;
    if base.as_str() == Base::DEFAULT {
        eprintln!(
            "note: no --base given: IRIs, links and redirects point to {}; give --base the \
             address the site will be served at",
            Base::DEFAULT
        );
    }
    let options = crate::site::SiteOptions {
        build: crate::publication::BuildOptions::new(
            data.data.clone(),
            queries,
            crate::config::Config::load(&config)?,
            base,
        ),
        sparql_endpoint,
    };
    let summary = crate::site::export_site(&options, dir).map_err(|e| match e {
        crate::site::SiteError::Publish(crate::publication::PublicationError::Build(
            BuildError::Invalid(d),
        )) => Failure {
            code: 1,
            error: anyhow::anyhow!("{} is not valid:\n{d}", data.data.display()),
        },
        e @ crate::site::SiteError::UnsafeUrl { .. } => usage(e.to_string()),
        other => other.into(),
    })?;
    for warning in &summary.warnings.0 {
        eprintln!("{warning}");
    }
    eprintln!(
        "wrote the site to {}: {} files, {} bytes, documents for {} resources",
        dir.display(),
        summary.files,
        summary.bytes,
        summary.resources
    );
    Ok(())
}
