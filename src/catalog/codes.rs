//! The code lists the catalog refers to (EU data themes, frequencies, file types; ADMS
//! publisher and licence types; known licences), with the labels harvesters show.

use super::*;

/// English and Italian names of the EU data themes.
pub(super) fn theme_labels(code: &str) -> Option<(&'static str, &'static str)> {
    Some(match code {
        "AGRI" => (
            "Agriculture, fisheries, forestry and food",
            "Agricoltura, pesca, silvicoltura e prodotti alimentari",
        ),
        "ECON" => ("Economy and finance", "Economia e finanze"),
        "EDUC" => (
            "Education, culture and sport",
            "Istruzione, cultura e sport",
        ),
        "ENER" => ("Energy", "Energia"),
        "ENVI" => ("Environment", "Ambiente"),
        "GOVE" => ("Government and public sector", "Governo e settore pubblico"),
        "HEAL" => ("Health", "Salute"),
        "INTR" => ("International issues", "Tematiche internazionali"),
        "JUST" => (
            "Justice, legal system and public safety",
            "Giustizia, sistema giuridico e sicurezza pubblica",
        ),
        "REGI" => ("Regions and cities", "Regioni e città"),
        "SOCI" => ("Population and society", "Popolazione e società"),
        "TECH" => ("Science and technology", "Scienza e tecnologia"),
        "TRAN" => ("Transport", "Trasporti"),
        "OP_DATPRO" => ("Provisional data", "Dati provvisori"),
        _ => return None,
    })
}

/// Names of the ADMS publisher types.
pub(super) fn publisher_type_label(code: &str) -> Option<&'static str> {
    Some(match code {
        "Academia-ScientificOrganisation" => "Academia/Scientific organisation",
        "Company" => "Company",
        "IndustryConsortium" => "Industry consortium",
        "LocalAuthority" => "Local authority",
        "NationalAuthority" => "National authority",
        "NonGovernmentalOrganisation" => "Non-governmental organisation",
        "NonProfitOrganisation" => "Non-profit organisation",
        "PrivateIndividual(s)" => "Private individual(s)",
        "RegionalAuthority" => "Regional authority",
        "StandardisationBody" => "Standardisation body",
        "SupraNationalAuthority" => "Supra-national authority",
        _ => return None,
    })
}

/// Names of the ADMS licence types.
pub(super) fn licence_type_label(code: &str) -> Option<&'static str> {
    Some(match code {
        "Attribution" => "Attribution",
        "PublicDomain" => "Public domain",
        "ShareAlike" => "Share-alike",
        "NonCommercialUseOnly" => "Non-commercial use only",
        "NoDerivativeWork" => "No derivative work",
        _ => return None,
    })
}

/// What the catalog says of a well-known licence, so that harvesters find it in their own
/// registers without configuration.
pub(super) struct KnownLicence {
    /// Its full English name (`foaf:name`@en).
    pub(super) name: &'static str,
    /// Its name in the Italian controlled vocabulary of licences (`foaf:name`@it,
    /// `dct:title`@it): ckanext-dcatapit matches it per language.
    pub(super) name_it: Option<&'static str>,
    /// The title of CKAN's default licence register (`ckan/model/license.py`), which
    /// ckanext-dcat matches against `dct:title` when the licence IRI is not the register's.
    pub(super) title: &'static str,
    /// ADMS licence type (`http://purl.org/adms/licencetype/…`).
    pub(super) kind: &'static str,
    /// The same licence in other registers (`skos:exactMatch`): the Italian controlled
    /// vocabulary (`https://w3id.org/italia/controlled-vocabulary/licences/…`) and the EU
    /// licence authority table.
    pub(super) same: &'static [&'static str],
    /// The licence family in CKAN's default register (`http://www.opendefinition.org/…`,
    /// `skos:closeMatch`: the register names the family, not the version).
    pub(super) family: Option<&'static str>,
}

/// Well-known licences, by IRI (scheme and final slash ignored). Names and IRIs as their
/// registers give them: CKAN's default licence register, the Italian controlled vocabulary of
/// licences (dati.gov.it), the EU licence table.
pub(super) fn known_licence(iri: &str) -> Option<KnownLicence> {
    let key = iri
        .trim_start_matches("http://")
        .trim_start_matches("https://")
        .trim_end_matches('/');
    Some(match key {
        "creativecommons.org/licenses/by/4.0"
        | "creativecommons.org/licenses/by/4.0/legalcode"
        | "publications.europa.eu/resource/authority/licence/CC_BY_4_0"
        | "w3id.org/italia/controlled-vocabulary/licences/A21_CCBY40" => KnownLicence {
            name: "Creative Commons Attribution 4.0 International (CC BY 4.0)",
            name_it: Some("Creative Commons Attribuzione 4.0 Internazionale (CC BY 4.0)"),
            title: "Creative Commons Attribution",
            kind: "Attribution",
            same: &[
                "https://w3id.org/italia/controlled-vocabulary/licences/A21_CCBY40",
                "http://publications.europa.eu/resource/authority/licence/CC_BY_4_0",
            ],
            family: Some("http://www.opendefinition.org/licenses/cc-by"),
        },
        "creativecommons.org/licenses/by-sa/4.0" => KnownLicence {
            name: "Creative Commons Attribution-ShareAlike 4.0 International (CC BY-SA 4.0)",
            name_it: None,
            title: "Creative Commons Attribution Share-Alike",
            kind: "ShareAlike",
            same: &[],
            family: Some("http://www.opendefinition.org/licenses/cc-by-sa"),
        },
        "creativecommons.org/publicdomain/zero/1.0" => KnownLicence {
            name: "Creative Commons CC0 1.0 Universal (CC0 1.0)",
            name_it: Some(
                "Creative Commons CC0 1.0 Universale - Public Domain Dedication (CC0 1.0)",
            ),
            title: "Creative Commons CCZero",
            kind: "PublicDomain",
            same: &["https://w3id.org/italia/controlled-vocabulary/licences/A11_CCO10"],
            family: Some("http://www.opendefinition.org/licenses/cc-zero"),
        },
        "opendatacommons.org/licenses/odbl/1-0" | "opendatacommons.org/licenses/odbl/1.0" => {
            KnownLicence {
                name: "Open Data Commons Open Database License (ODbL) 1.0",
                name_it: Some("Open Data Commons Open Database License 1.0 (ODbL)"),
                title: "Open Data Commons Open Database License (ODbL)",
                kind: "ShareAlike",
                same: &["https://w3id.org/italia/controlled-vocabulary/licences/A310_ODBL"],
                family: Some("http://www.opendefinition.org/licenses/odc-odbl"),
            }
        }
        "www.dati.gov.it/iodl/2.0" | "www.dati.gov.it/content/italian-open-data-license-v20" => {
            KnownLicence {
                name: "Italian Open Data License 2.0 (IODL 2.0)",
                name_it: None,
                title: "Italian Open Data License 2.0 (IODL 2.0)",
                kind: "Attribution",
                same: &[],
                family: None,
            }
        }
        _ => return None,
    })
}

/// English and Italian names of EU frequencies.
pub(super) fn frequency_labels(code: &str) -> Option<(&'static str, &'static str)> {
    Some(match code {
        "IRREG" => ("irregular", "irregolare"),
        "UNKNOWN" => ("unknown", "sconosciuto"),
        "NEVER" => ("never", "mai"),
        "CONT" => ("continuous", "continuo"),
        "DAILY" => ("daily", "giornaliero"),
        "WEEKLY" => ("weekly", "settimanale"),
        "MONTHLY" => ("monthly", "mensile"),
        "QUARTERLY" => ("quarterly", "trimestrale"),
        "ANNUAL" => ("annual", "annuale"),
        "BIENNIAL" => ("biennial", "biennale"),
        _ => return None,
    })
}

/// The EU file type of a dump format.
pub(super) fn file_type(format: Format) -> &'static str {
    match format {
        Format::Turtle => "RDF_TURTLE",
        Format::TriG => "RDF_TRIG",
        Format::NTriples => "RDF_N_TRIPLES",
        Format::NQuads => "RDF_N_QUADS",
        Format::JsonLd => "JSON_LD",
        Format::RdfXml => "RDF_XML",
    }
}

/// An IANA media type's IRI, typed and labelled with the media type itself (a harvester
/// that reads labels, as ckanext-dcat does, gets `text/turtle`, not the IRI).
pub(super) fn media_type(g: &mut Graph, media_type: &str) -> NamedNode {
    let node = NamedNode::new_unchecked(format!("{}{media_type}", authority::IANA));
    g.a(&node, dct::MEDIA_TYPE);
    g.add(&node, rdfs::LABEL, Literal::new_simple_literal(media_type));
    node
}

/// The name of a dump format, as people call it.
pub(super) fn format_name(format: Format) -> &'static str {
    match format {
        Format::Turtle => "Turtle",
        Format::TriG => "TriG",
        Format::NTriples => "N-Triples",
        Format::NQuads => "N-Quads",
        Format::JsonLd => "JSON-LD",
        Format::RdfXml => "RDF/XML",
    }
}
