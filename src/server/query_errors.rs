//! Messages for queries that do not parse, in words a person can act on. The parser reports an
//! undeclared prefix as a list of the Unicode ranges it expected; this names the prefix, where
//! it is used, and the prefixes this dataset's queries can declare.

/// Where an undeclared prefix is first used: `(prefix, line, column)`, 1-based, columns in
/// characters. Comments, IRIs and strings are skipped; `PREFIX p: <…>` declares `p`.
pub fn undeclared_prefix(query: &str) -> Option<(String, usize, usize)> {
    let chars: Vec<char> = query.chars().collect();
    let mut declared: Vec<String> = Vec::new();
    let mut used: Vec<(String, usize)> = Vec::new();
    let mut i = 0;
    let mut last_word = String::new();
    while i < chars.len() {
        let c = chars[i];
        match c {
            '#' => {
                while i < chars.len() && chars[i] != '\n' {
                    i += 1;
                }
            }
            '<' if chars
                .get(i + 1)
                .is_some_and(|n| !n.is_whitespace() && *n != '=') =>
            {
                // an IRI (a comparison `<` is followed by a space or `=`)
                while i < chars.len() && chars[i] != '>' && chars[i] != '\n' {
                    i += 1;
                }
                i += 1;
            }
            '"' | '\'' => {
                let long = chars.get(i + 1) == Some(&c) && chars.get(i + 2) == Some(&c);
                i += if long { 3 } else { 1 };
                while i < chars.len() {
                    if chars[i] == '\\' {
                        i += 2;
                        continue;
                    }
                    if chars[i] == c
                        && (!long || (chars.get(i + 1) == Some(&c) && chars.get(i + 2) == Some(&c)))
                    {
                        i += if long { 3 } else { 1 };
                        break;
                    }
                    i += 1;
                }
            }
            '?' | '$' => {
                i += 1;
                while i < chars.len() && (chars[i].is_alphanumeric() || chars[i] == '_') {
                    i += 1;
                }
            }
            c if c.is_alphabetic() || c == ':' || c == '_' => {
                let start = i;
                while i < chars.len()
                    && (chars[i].is_alphanumeric() || matches!(chars[i], '_' | '-' | '.'))
                {
                    i += 1;
                }
                let word: String = chars[start..i].iter().collect();
                if word == "_" && chars.get(i) == Some(&':') {
                    // a blank node label, `_:b`
                    i += 1;
                    while i < chars.len() && (chars[i].is_alphanumeric() || chars[i] == '_') {
                        i += 1;
                    }
                    continue;
                }
                if chars.get(i) == Some(&':') && !word.starts_with('_') {
                    let prefix = word.trim_end_matches('.').to_owned();
                    if last_word.eq_ignore_ascii_case("prefix") {
                        declared.push(prefix.clone());
                    } else {
                        used.push((prefix, start));
                    }
                    i += 1;
                    // the local part
                    while i < chars.len()
                        && (chars[i].is_alphanumeric()
                            || matches!(chars[i], '_' | '-' | '.' | ':' | '%' | '\\'))
                    {
                        i += 1;
                    }
                    last_word.clear();
                } else if c == ':' {
                    // `:local`, the empty prefix
                    let declaring = last_word.eq_ignore_ascii_case("prefix");
                    if declaring {
                        declared.push(String::new());
                    } else {
                        used.push((String::new(), start));
                    }
                    i += 1;
                    last_word.clear();
                } else {
                    last_word = word;
                }
            }
            _ => i += 1,
        }
    }
    let (prefix, at) = used.into_iter().find(|(p, _)| !declared.contains(p))?;
    let before = &chars[..at];
    let line = before.iter().filter(|c| **c == '\n').count() + 1;
    let column = at - before.iter().rposition(|c| *c == '\n').map_or(0, |n| n + 1) + 1;
    Some((prefix, line, column))
}

/// The message for a query the parser refused with `error`: for an undeclared prefix, which
/// one, where, and the declarations to copy (`known`: this dataset's prefixes and namespaces);
/// otherwise the parser's message.
pub fn explain(query: &str, error: &str, known: &[(String, String)]) -> String {
    if error.contains("Prefix not found")
        && let Some((prefix, line, column)) = undeclared_prefix(query)
    {
        let mut out = format!(
            "the query is not valid SPARQL: the prefix `{prefix}:` (line {line}, column {column}) is not declared"
        );
        match known.iter().find(|(p, _)| *p == prefix) {
            Some((p, ns)) => {
                out.push_str(&format!("; add `PREFIX {p}: <{ns}>` before the query"));
            }
            None => out.push_str("; declare it with `PREFIX name: <namespace>` before the query"),
        }
        out.push_str(". The prefixes of this dataset are:");
        for (p, ns) in known {
            out.push_str(&format!("\nPREFIX {p}: <{ns}>"));
        }
        return out;
    }
    format!("the query is not valid SPARQL: {error}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_undeclared_prefix_is_found_past_comments_iris_and_strings() {
        let q = "PREFIX skos: <http://www.w3.org/2004/02/skos/core#>\n# foo:bar in a comment\nSELECT ?x WHERE {\n  ?x skos:prefLabel \"a:b\" ; <http://x/y:z> ?o .\n  ?x  org:memberOf ?n FILTER(?n < 3)\n}";
        assert_eq!(undeclared_prefix(q), Some(("org".into(), 5, 7)));
        assert_eq!(
            undeclared_prefix("SELECT * { ?s :p ?o }"),
            Some((String::new(), 1, 15))
        );
        assert_eq!(
            undeclared_prefix("PREFIX : <http://x/>\nSELECT * { ?s :p ?o }"),
            None
        );
        assert_eq!(undeclared_prefix("SELECT * { _:b ?p ?o }"), None);
    }

    #[test]
    fn an_unknown_prefix_is_named_with_the_known_ones() {
        let known = vec![
            ("org".to_owned(), "http://www.w3.org/ns/org#".to_owned()),
            (
                "skos".to_owned(),
                "http://www.w3.org/2004/02/skos/core#".to_owned(),
            ),
        ];
        let m = explain(
            "SELECT ?x WHERE {\n  ?x org:memberOf ?n\n}",
            "error at 2:9: expected one of Prefix not found, ['%']",
            &known,
        );
        assert_eq!(
            m,
            "the query is not valid SPARQL: the prefix `org:` (line 2, column 6) is not declared; add `PREFIX org: <http://www.w3.org/ns/org#>` before the query. The prefixes of this dataset are:\nPREFIX org: <http://www.w3.org/ns/org#>\nPREFIX skos: <http://www.w3.org/2004/02/skos/core#>"
        );
        assert!(!m.contains("\\u{"));
        let other = explain("SELECT", "error at 1:7: expected one of *", &known);
        assert_eq!(
            other,
            "the query is not valid SPARQL: error at 1:7: expected one of *"
        );
    }
}
