//! Compacted JSON-LD: a real `@context` of prefixes, one node object per subject.
//!
//! Oxigraph's JSON-LD writer emits expanded JSON-LD (full IRIs everywhere), which is correct
//! but unreadable. This writer produces the form people read and write: compact IRIs
//! (`"org:member": {"@id": "place:turin"}`), `@type` for `rdf:type`, plain strings for
//! `xsd:string`, and single values unwrapped. Every document it writes expands to exactly the
//! triples it was given (tests parse it back and compare).
//!
//! ```
//! use oxrdf::{NamedNode, Triple, Literal};
//! let t = Triple::new(
//!     NamedNode::new("http://example.org/id/place/turin")?,
//!     NamedNode::new("http://www.w3.org/2000/01/rdf-schema#label")?,
//!     Literal::new_language_tagged_literal("Torino", "it")?,
//! );
//! let prefixes = [("place".to_string(), "http://example.org/id/place/".to_string()),
//!                 ("rdfs".to_string(), "http://www.w3.org/2000/01/rdf-schema#".to_string())];
//! let doc = reti::jsonld::compact(&[t], &prefixes);
//! assert_eq!(doc["@graph"][0]["@id"], "place:turin");
//! assert_eq!(doc["@graph"][0]["rdfs:label"]["@value"], "Torino");
//! # Ok::<_, Box<dyn std::error::Error>>(())
//! ```

use oxrdf::vocab::{rdf, xsd};
use oxrdf::{NamedOrBlankNode, Term, Triple};
use serde_json::{Map, Value, json};

/// The `@context` object for `prefixes`.
pub fn context(prefixes: &[(String, String)]) -> Value {
    let map: Map<String, Value> = prefixes
        .iter()
        .map(|(p, iri)| (p.clone(), Value::String(iri.clone())))
        .collect();
    Value::Object(map)
}

/// Shortens `iri` with the longest matching prefix, when the result cannot be mistaken for an
/// absolute IRI or a blank node.
pub fn compact_iri(iri: &str, prefixes: &[(String, String)]) -> String {
    prefixes
        .iter()
        .filter(|(_, ns)| iri.len() > ns.len() && iri.starts_with(ns.as_str()))
        .max_by_key(|(_, ns)| ns.len())
        .map(|(p, ns)| (p, &iri[ns.len()..]))
        .filter(|(_, local)| !local.starts_with("//"))
        .map_or_else(|| iri.to_owned(), |(p, local)| format!("{p}:{local}"))
}

fn node_id(node: &NamedOrBlankNode, prefixes: &[(String, String)]) -> String {
    match node {
        NamedOrBlankNode::NamedNode(n) => compact_iri(n.as_str(), prefixes),
        NamedOrBlankNode::BlankNode(b) => format!("_:{}", b.as_str()),
    }
}

fn value(term: &Term, prefixes: &[(String, String)]) -> Value {
    match term {
        Term::NamedNode(n) => json!({ "@id": compact_iri(n.as_str(), prefixes) }),
        Term::BlankNode(b) => json!({ "@id": format!("_:{}", b.as_str()) }),
        Term::Literal(l) => {
            if let Some(tag) = l.language() {
                json!({ "@value": l.value(), "@language": tag })
            } else if l.datatype() == xsd::STRING {
                Value::String(l.value().to_owned())
            } else {
                json!({ "@value": l.value(), "@type": compact_iri(l.datatype().as_str(), prefixes) })
            }
        }
        #[allow(unreachable_patterns)]
        _ => Value::Null,
    }
}

/// Compacts `triples` (grouped by subject if sorted) into a JSON-LD document.
pub fn compact(triples: &[Triple], prefixes: &[(String, String)]) -> Value {
    let mut nodes: Vec<(String, Map<String, Value>)> = Vec::new();
    for t in triples {
        let id = node_id(&t.subject, prefixes);
        if nodes.last().is_none_or(|(last, _)| *last != id) {
            let mut node = Map::new();
            node.insert("@id".into(), Value::String(id.clone()));
            nodes.push((id, node));
        }
        let Some((_, node)) = nodes.last_mut() else {
            continue;
        };
        let (key, v) = if t.predicate == rdf::TYPE && !matches!(t.object, Term::Literal(_)) {
            let v = match &t.object {
                Term::NamedNode(n) => Value::String(compact_iri(n.as_str(), prefixes)),
                Term::BlankNode(b) => Value::String(format!("_:{}", b.as_str())),
                _ => Value::Null,
            };
            ("@type".to_owned(), v)
        } else {
            (
                compact_iri(t.predicate.as_str(), prefixes),
                value(&t.object, prefixes),
            )
        };
        match node.get_mut(&key) {
            Some(Value::Array(values)) => values.push(v),
            Some(single) => {
                let first = single.take();
                *single = Value::Array(vec![first, v]);
            }
            None => {
                node.insert(key, v);
            }
        }
    }
    let graph: Vec<Value> = nodes.into_iter().map(|(_, n)| Value::Object(n)).collect();
    json!({ "@context": context(prefixes), "@graph": graph })
}
