"""Reads every dump reti writes with an independent RDF library (rdflib) and validates the data
against reti's SHACL shapes with an independent engine (pyshacl).

Usage: python3 tests/python/independent_check.py path/to/reti
Prints one line per check and a closing "N passed, N failed" line; exits 1 on any failure.
"""

import hashlib
import subprocess
import sys
import tempfile
from pathlib import Path

import rdflib
from rdflib.compare import isomorphic
from pyshacl import validate

ROOT = Path(__file__).resolve().parents[2]
GRAPH_FORMATS = {"ttl": "turtle", "nt": "nt", "rdf": "xml", "jsonld": "json-ld"}
DATASET_FORMATS = {"trig": "trig", "nq": "nquads"}

passed, failed = 0, 0


def check(name, ok, detail=""):
    global passed, failed
    if ok:
        passed += 1
        print(f"ok    {name}")
    else:
        failed += 1
        print(f"FAIL  {name} {detail}")


def main(reti):
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "dumps"
        subprocess.run([reti, "export", "--all", "-o", str(out)], cwd=ROOT, check=True)

        for line in (out / "SHA256SUMS").read_text().splitlines():
            digest, name = line.split("  ")
            actual = hashlib.sha256((out / name).read_bytes()).hexdigest()
            check(f"SHA256SUMS matches {name}", digest == actual)

        reference = rdflib.Graph()
        reference.parse(out / "reti.nt", format="nt")
        check("N-Triples dump is not empty", len(reference) > 1000, f"{len(reference)} triples")
        for ext, fmt in GRAPH_FORMATS.items():
            g = rdflib.Graph()
            g.parse(out / f"reti.{ext}", format=fmt)
            check(f"reti.{ext} read by rdflib is isomorphic to reti.nt", isomorphic(g, reference),
                  f"{len(g)} vs {len(reference)} triples")

        datasets = {}
        for ext, fmt in DATASET_FORMATS.items():
            d = rdflib.Dataset()
            d.parse(out / f"reti.{ext}", format=fmt)
            datasets[ext] = {
                (str(c.identifier), frozenset(c)) for c in d.graphs() if len(c) > 0
            }
            union = rdflib.Graph()
            for c in d.graphs():
                for t in c:
                    union.add(t)
            check(f"reti.{ext}: the merge of its graphs is isomorphic to reti.nt",
                  isomorphic(union, reference))
        check("reti.trig and reti.nq hold the same named graphs", datasets["trig"] == datasets["nq"])
        check("every source has its own named graph",
              {"http://localhost:7878/graph/turin-networks-page",
               "http://localhost:7878/graph/istat-comuni-italiani"}
              <= {name for name, _ in datasets["nq"]})

        shapes = rdflib.Graph()
        shapes.parse(ROOT / "ontology" / "shapes.ttl", format="turtle")
        conforms, _, text = validate(reference, shacl_graph=shapes, inference="none")
        check("the data conforms to ontology/shapes.ttl (pyshacl)", conforms, "\n" + text)

        ontology = rdflib.Graph()
        ontology.parse(ROOT / "ontology" / "reti.ttl", format="turtle")
        rdfs = rdflib.RDFS
        reti_ns = "https://w3id.org/reti/ontology#"
        terms = {s for s in ontology.subjects() if str(s).startswith(reti_ns)}
        for term in sorted(terms):
            langs = lambda p: {o.language for o in ontology.objects(term, p)}
            check(f"{term} has en and it labels and comments",
                  {"en", "it"} <= langs(rdfs.label) and {"en", "it"} <= langs(rdfs.comment))

    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else str(ROOT / "target/debug/reti")))
