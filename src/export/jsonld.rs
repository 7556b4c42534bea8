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
//! let doc = reti::export::jsonld::compact(&[t], &prefixes);
//! assert_eq!(doc["@graph"][0]["@id"], "place:turin");
//! assert_eq!(doc["@graph"][0]["rdfs:label"]["@value"], "Torino");
//! # Ok::<_, Box<dyn std::error::Error>>(())
//! ```

use oxrdf::vocab::{rdf, xsd};
use oxrdf::{NamedOrBlankNode, Term, Triple};
use serde_json::{Map, Value, json};
use std::io::{self, Write};

/// The `@context` object for `prefixes`.
pub fn context(prefixes: &[(String, String)]) -> Value {
    let map: Map<String, Value> = prefixes
        .iter()
        .map(|(p, iri)| (p.clone(), Value::String(iri.clone())))
        .collect();
    Value::Object(map)
}

pub use crate::rdf::compact_iri;

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
        match nodes.last_mut() {
            Some((last, node)) if *last == id => add(node, t, prefixes),
            _ => nodes.push((id.clone(), new_node(id, t, prefixes))),
        }
    }
    let graph: Vec<Value> = nodes.into_iter().map(|(_, n)| Value::Object(n)).collect();
    json!({ "@context": context(prefixes), "@graph": graph })
}

fn new_node(id: String, first: &Triple, prefixes: &[(String, String)]) -> Map<String, Value> {
    let mut node = Map::new();
    node.insert("@id".into(), Value::String(id));
    add(&mut node, first, prefixes);
    node
}

/// Adds a triple of the node's subject to the node object.
fn add(node: &mut Map<String, Value>, t: &Triple, prefixes: &[(String, String)]) {
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

/// Writes the document [`compact`] makes, byte for byte as `serde_json`'s pretty printer
/// writes it (and a final newline), one node at a time: a dump of any size streams, where
/// [`compact`] holds the whole graph. Give it the triples grouped by subject.
pub(crate) struct Writer<'a, W: Write> {
    out: W,
    prefixes: &'a [(String, String)],
    nodes: usize,
    current: Option<(String, Map<String, Value>)>,
}

impl<'a, W: Write> Writer<'a, W> {
    /// Writes the start of the document, up to the `@graph` array.
    pub fn new(mut out: W, prefixes: &'a [(String, String)]) -> io::Result<Self> {
        out.write_all(b"{\n  \"@context\": ")?;
        write_indented(&mut out, &context(prefixes), "  ")?;
        out.write_all(b",\n  \"@graph\": [")?;
        Ok(Self {
            out,
            prefixes,
            nodes: 0,
            current: None,
        })
    }

    /// Adds a triple; a new subject ends the previous node, which is written.
    pub fn triple(&mut self, t: &Triple) -> io::Result<()> {
        let id = node_id(&t.subject, self.prefixes);
        match &mut self.current {
            Some((last, node)) if *last == id => add(node, t, self.prefixes),
            _ => {
                let node = new_node(id.clone(), t, self.prefixes);
                if let Some((_, done)) = self.current.replace((id, node)) {
                    self.write_node(done)?;
                }
            }
        }
        Ok(())
    }

    /// Writes the last node and the end of the document.
    pub fn finish(mut self) -> io::Result<W> {
        if let Some((_, done)) = self.current.take() {
            self.write_node(done)?;
        }
        let end: &[u8] = if self.nodes == 0 {
            b"]\n}\n"
        } else {
            b"\n  ]\n}\n"
        };
        self.out.write_all(end)?;
        self.out.flush()?;
        Ok(self.out)
    }

    fn write_node(&mut self, node: Map<String, Value>) -> io::Result<()> {
        let separator: &[u8] = if self.nodes == 0 {
            b"\n    "
        } else {
            b",\n    "
        };
        self.out.write_all(separator)?;
        write_indented(&mut self.out, &Value::Object(node), "    ")?;
        self.nodes += 1;
        Ok(())
    }
}

/// Pretty-prints `value` as if nested at `indent` (JSON strings hold no raw newlines, so every
/// line break is the printer's).
fn write_indented(out: &mut impl Write, value: &Value, indent: &str) -> io::Result<()> {
    let text = serde_json::to_string_pretty(value).map_err(io::Error::other)?;
    let mut lines = text.split('\n');
    if let Some(first) = lines.next() {
        out.write_all(first.as_bytes())?;
    }
    for line in lines {
        out.write_all(b"\n")?;
        out.write_all(indent.as_bytes())?;
        out.write_all(line.as_bytes())?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use oxrdf::{BlankNode, Literal, NamedNode};

    fn iri(s: &str) -> NamedNode {
        NamedNode::new(format!("http://example.org/{s}")).expect("iri")
    }

    /// The streamed document is the one `compact` makes, as the pretty printer writes it.
    #[test]
    fn the_writer_writes_what_compact_makes() {
        let prefixes = [("ex".to_owned(), "http://example.org/".to_owned())];
        let a = iri("a");
        let triples = [
            Triple::new(a.clone(), rdf::TYPE, iri("City")),
            Triple::new(a.clone(), rdf::TYPE, iri("Place")),
            Triple::new(
                a.clone(),
                iri("label"),
                Literal::new_simple_literal("A \"q\"\nline"),
            ),
            Triple::new(
                a.clone(),
                iri("label"),
                Literal::new_language_tagged_literal_unchecked("Á", "it"),
            ),
            Triple::new(
                BlankNode::new_unchecked("b1"),
                iri("year"),
                Literal::new_typed_literal("2019", xsd::G_YEAR),
            ),
            Triple::new(iri("c"), iri("near"), a.clone()),
        ];
        for n in [0, 1, 4, 6] {
            let part = &triples[..n];
            let mut expected =
                serde_json::to_string_pretty(&compact(part, &prefixes)).expect("json");
            expected.push('\n');
            let mut writer = Writer::new(Vec::new(), &prefixes).expect("start");
            for t in part {
                writer.triple(t).expect("triple");
            }
            let written = String::from_utf8(writer.finish().expect("end")).expect("utf-8");
            assert_eq!(written, expected, "{n} triples");
        }
    }
}
