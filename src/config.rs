//! Publication metadata from `reti.toml`: who publishes the dataset, under which licence, whom to
//! contact. Every key has a default, so the file is optional; unknown keys are rejected.
//!
//! ```
//! let config: reti::config::Config = toml::from_str("title = \"My networks\"")?;
//! assert_eq!(config.title, "My networks");
//! assert_eq!(config.licence, "https://creativecommons.org/licenses/by/4.0/");
//! # Ok::<_, Box<dyn std::error::Error>>(())
//! ```

use serde::Deserialize;
use std::path::Path;

/// Why `reti.toml` could not be used.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// The file exists but cannot be read.
    #[error("cannot read {path}: {source}")]
    Read {
        /// The file.
        path: String,
        /// Why.
        source: std::io::Error,
    },
    /// The file is not valid.
    #[error("{path}:{line}:{column}: {message}")]
    Invalid {
        /// The file.
        path: String,
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
        /// What is wrong.
        message: String,
    },
}

/// An agent (publisher, rights holder, creator).
#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Agent {
    /// Name.
    pub name: String,
    /// Its IRI, if it has one (an authority IRI or a web page).
    pub iri: Option<String>,
    /// Its home page.
    pub homepage: Option<String>,
    /// Its identifier (`dct:identifier`; DCAT-AP_IT asks for one: an Italian public
    /// administration gives its IPA code).
    #[serde(default)]
    pub identifier: Option<String>,
    /// Its kind (`dct:type`): an IRI of the ADMS publisher-type vocabulary, such as
    /// `http://purl.org/adms/publishertype/LocalAuthority`.
    #[serde(default, rename = "type")]
    pub kind: Option<String>,
}

/// The contact point of the dataset.
#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Contact {
    /// Name of the office.
    pub name: String,
    /// E-mail address.
    pub email: String,
}

/// The geometry of a geographic coverage (`dct:spatial`), as DCAT-AP recommends for a
/// `dct:Location`.
#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct SpatialGeometry {
    /// The IRI listed in `spatial`.
    pub iri: String,
    /// Bounding box, WKT (`POLYGON((lon lat, …))`, CRS84).
    pub bbox: Option<String>,
    /// Centroid, WKT (`POINT(lon lat)`, CRS84).
    pub centroid: Option<String>,
}

/// Catalog metadata for the published dataset.
#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields, default)]
pub struct Config {
    /// Dataset title (English).
    pub title: String,
    /// Dataset title (Italian).
    pub title_it: String,
    /// Dataset description (English).
    pub description: String,
    /// Dataset description (Italian).
    pub description_it: String,
    /// Stable identifier of the dataset (DCAT-AP_IT asks for one). Published as
    /// `{publisher identifier}:{identifier}` (the IPA code of the publisher, then the local
    /// identifier, as the DCAT-AP_IT guidelines ask), unless it has a `:` already.
    pub identifier: String,
    /// Who publishes it.
    pub publisher: Agent,
    /// Who holds the rights (DCAT-AP_IT).
    pub rights_holder: Agent,
    /// Whom to contact.
    pub contact: Contact,
    /// Licence IRI.
    pub licence: String,
    /// Name of the licence (English); known licences (Creative Commons, ODbL, IODL) are named
    /// without it.
    pub licence_name: Option<String>,
    /// Name of the licence in Italian, as the Italian controlled vocabulary of licences gives
    /// it: ckanext-dcatapit (dati.gov.it) finds the licence by it.
    pub licence_name_it: Option<String>,
    /// The title by which CKAN's licence register knows the licence ("Creative Commons
    /// Attribution" for CC BY): ckanext-dcat finds the licence by it when the IRI is not the
    /// register's.
    pub licence_title: Option<String>,
    /// The same licence in other registers (`skos:exactMatch`), such as the Italian controlled
    /// vocabulary's `https://w3id.org/italia/controlled-vocabulary/licences/A21_CCBY40`.
    pub licence_same_as: Option<Vec<String>>,
    /// Kind of licence (IRI of the ADMS licence-type vocabulary); known licences have one.
    pub licence_type: Option<String>,
    /// When the dataset was first published (`YYYY-MM-DD`); without it, the date of the build.
    pub issued: Option<String>,
    /// EU data themes (IRIs of the EU data-theme authority table).
    pub themes: Vec<String>,
    /// Update frequency (IRI of the EU frequency authority table).
    pub accrual_periodicity: String,
    /// Languages (IRIs of the EU language authority table).
    pub languages: Vec<String>,
    /// Keywords (English).
    pub keywords: Vec<String>,
    /// Keywords (Italian).
    pub keywords_it: Vec<String>,
    /// Geographic coverage (IRIs, such as the EU country authority's Italy).
    pub spatial: Vec<String>,
    /// Bounding boxes and centroids of the `spatial` IRIs (TOML: `[[spatial_geometry]]`).
    pub spatial_geometry: Vec<SpatialGeometry>,
    /// The file this was read from, so that a reload reads it again (the catalog's
    /// description is edited there when a network is added).
    #[serde(skip)]
    pub file: ConfigFile,
}

/// Where a [`Config`] was read from. It is not part of what is published: two servers given
/// the same settings from files in different places publish the same catalog (and ETags).
#[derive(Clone, Default)]
pub struct ConfigFile(Option<std::path::PathBuf>);

impl ConfigFile {
    /// The file, if the configuration was read from one.
    pub fn path(&self) -> Option<&Path> {
        self.0.as_deref()
    }
}

impl std::fmt::Debug for ConfigFile {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ConfigFile")
    }
}

impl PartialEq for ConfigFile {
    fn eq(&self, _: &Self) -> bool {
        true
    }
}

impl Eq for ConfigFile {}

impl Default for Config {
    fn default() -> Self {
        Self {
            title: "Networks of cities".into(),
            title_it: "Reti di città".into(),
            description: "Which cities belong to which networks (UNESCO Creative Cities Network, \
                Eurocities, GAI, BJCEM, the Coordination of the Italian UNESCO Creative Cities), in which role \
                and field, since when, and according to which source."
                .into(),
            description_it: "Quali città appartengono a quali reti (Rete delle città creative \
                UNESCO, Eurocities, GAI, BJCEM, Coordinamento delle Città creative UNESCO italiane), con \
                quale ruolo e in quale ambito, da quando e secondo quale fonte."
                .into(),
            identifier: "reti-city-networks".into(),
            publisher: Agent {
                name: "reti open-data office".into(),
                iri: None,
                homepage: None,
                identifier: Some("reti".into()),
                kind: Some("http://purl.org/adms/publishertype/LocalAuthority".into()),
            },
            rights_holder: Agent {
                name: "reti open-data office".into(),
                iri: None,
                homepage: None,
                identifier: Some("reti".into()),
                kind: Some("http://purl.org/adms/publishertype/LocalAuthority".into()),
            },
            contact: Contact {
                name: "reti open-data office".into(),
                email: "opendata@example.org".into(),
            },
            licence: "https://creativecommons.org/licenses/by/4.0/".into(),
            licence_name: None,
            licence_name_it: None,
            licence_title: None,
            licence_same_as: None,
            licence_type: None,
            issued: None,
            themes: vec![
                "http://publications.europa.eu/resource/authority/data-theme/REGI".into(),
                "http://publications.europa.eu/resource/authority/data-theme/EDUC".into(),
                "http://publications.europa.eu/resource/authority/data-theme/GOVE".into(),
            ],
            accrual_periodicity: "http://publications.europa.eu/resource/authority/frequency/IRREG"
                .into(),
            languages: vec![
                "http://publications.europa.eu/resource/authority/language/ENG".into(),
                "http://publications.europa.eu/resource/authority/language/ITA".into(),
            ],
            keywords: vec![
                "city networks".into(),
                "UNESCO Creative Cities".into(),
                "Eurocities".into(),
                "culture".into(),
            ],
            keywords_it: vec![
                "reti di città".into(),
                "Città creative UNESCO".into(),
                "Eurocities".into(),
                "cultura".into(),
            ],
            spatial: vec!["http://publications.europa.eu/resource/authority/country/ITA".into()],
            spatial_geometry: vec![SpatialGeometry {
                iri: "http://publications.europa.eu/resource/authority/country/ITA".into(),
                bbox: Some(
                    "POLYGON((6.62 35.49, 18.52 35.49, 18.52 47.09, 6.62 47.09, 6.62 35.49))"
                        .into(),
                ),
                centroid: Some("POINT(12.57 42.50)".into()),
            }],
            file: ConfigFile::default(),
        }
    }
}

impl Config {
    /// Reads `path`; a missing file gives the defaults. Either way, a reload reads `path` again.
    pub fn load(path: &Path) -> Result<Self, ConfigError> {
        Self::read(path).map(|mut config| {
            config.file = ConfigFile(Some(path.to_owned()));
            config
        })
    }

    fn read(path: &Path) -> Result<Self, ConfigError> {
        let shown = path.display().to_string();
        let text = match std::fs::read_to_string(path) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Self::default()),
            Err(source) => {
                return Err(ConfigError::Read {
                    path: shown,
                    source,
                });
            }
        };
        let config: Self = toml::from_str(&text).map_err(|e| {
            let file = crate::diagnostic::SourceText::new(path.to_owned(), text.clone());
            let span = e.span().unwrap_or(0..0);
            let (line, column) = file.line_column(span.start);
            let mut message = e.message().trim().to_owned();
            if let Some(help) = crate::source::type_error_help(&text, &span, &message) {
                message = format!("{message}\n  help: {help}");
            }
            ConfigError::Invalid {
                path: shown.clone(),
                line,
                column,
                message,
            }
        })?;
        config.check_iris(&shown, path, &text)?;
        Ok(config)
    }

    /// Every value the catalog publishes as an IRI must be one: a typo is refused when the file
    /// is read (naming the key and the line), not left out of the catalog on every request.
    fn check_iris(&self, shown: &str, path: &Path, text: &str) -> Result<(), ConfigError> {
        let mailto = if self.contact.email.starts_with("mailto:") {
            self.contact.email.clone()
        } else {
            format!("mailto:{}", self.contact.email)
        };
        let mut iris: Vec<(String, &str)> = vec![
            ("licence".into(), &self.licence),
            ("accrual_periodicity".into(), &self.accrual_periodicity),
            ("contact.email".into(), &mailto),
        ];
        for (key, agent) in [
            ("publisher", &self.publisher),
            ("rights_holder", &self.rights_holder),
        ] {
            for (field, value) in [
                ("iri", &agent.iri),
                ("homepage", &agent.homepage),
                ("type", &agent.kind),
            ] {
                if let Some(value) = value {
                    iris.push((format!("{key}.{field}"), value));
                }
            }
        }
        if let Some(kind) = &self.licence_type {
            iris.push(("licence_type".into(), kind));
        }
        for (key, list) in [
            (
                "licence_same_as",
                self.licence_same_as.as_deref().unwrap_or_default(),
            ),
            ("themes", &self.themes),
            ("languages", &self.languages),
            ("spatial", &self.spatial),
        ] {
            iris.extend(list.iter().map(|v| (key.to_owned(), v.as_str())));
        }
        iris.extend(
            self.spatial_geometry
                .iter()
                .map(|g| ("spatial_geometry.iri".to_owned(), g.iri.as_str())),
        );
        for (key, value) in iris {
            if let Err(e) = oxrdf::NamedNode::new(value) {
                let file = crate::diagnostic::SourceText::new(path.to_owned(), text.to_owned());
                let written = value
                    .strip_prefix("mailto:")
                    .filter(|_| key == "contact.email");
                let at = text
                    .find(&format!("\"{}\"", written.unwrap_or(value)))
                    .map_or(0, |i| i + 1);
                let (line, column) = file.line_column(at);
                return Err(ConfigError::Invalid {
                    path: shown.to_owned(),
                    line,
                    column,
                    message: format!(
                        "`{key}`: \"{value}\" is not an IRI ({e})\n  help: write an absolute IRI, \
                         such as \"https://creativecommons.org/licenses/by/4.0/\" (no spaces; \
                         percent-encode other characters)"
                    ),
                });
            }
        }
        Ok(())
    }
}
