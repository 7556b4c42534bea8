"""Checks what `reti serve` publishes for portals and RDF clients, with independent tools:
the DCAT-AP catalog (rdflib, and pyshacl against the official DCAT-AP 3.0.1 SHACL shapes),
the checksums and sizes it states, the VoID description and the SPARQL service description.

Usage: python3 tests/python/check_catalog.py path/to/reti [SHAPES_DIR]

SHAPES_DIR defaults to tests/dcat-ap (unmodified copies of the official DCAT-AP 3.0.1 shapes).
Starts `reti serve --bind 127.0.0.1:0` from the repository root, stops it at the end. Prints one
line per check and a closing "N passed, N failed" line; exits 1 on any failure.
"""

import hashlib
import re
import subprocess
import sys
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import rdflib
from pyshacl import validate
from rdflib import RDF, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import Namespace

ROOT = Path(__file__).resolve().parents[2]
# Unmodified copies of the official DCAT-AP 3.0.1 shapes (CC BY 4.0; see tests/dcat-ap/README.md).
DEFAULT_SHAPES = ROOT / "tests" / "dcat-ap"

DCAT = Namespace("http://www.w3.org/ns/dcat#")
DCT = Namespace("http://purl.org/dc/terms/")
SPDX = Namespace("http://spdx.org/rdf/terms#")
VOID = Namespace("http://rdfs.org/ns/void#")
SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
SH = Namespace("http://www.w3.org/ns/shacl#")
DCATAPIT = Namespace("http://dati.gov.it/onto/dcatapit#")
VCARD = Namespace("http://www.w3.org/2006/vcard/ns#")

RDF_FORMATS = {
    "text/turtle": "turtle",
    "application/rdf+xml": "xml",
    "application/ld+json": "json-ld",
    "application/n-triples": "nt",
}

passed, failed = 0, 0


def check(name, ok, detail=""):
    global passed, failed
    if ok:
        passed += 1
        print(f"ok    {name}")
    else:
        failed += 1
        print(f"FAIL  {name} {detail}".rstrip())


class Server:
    """`reti serve` on a free port; `fetch` maps the published IRIs to the real address."""

    def __init__(self, reti):
        self.process = subprocess.Popen(
            [reti, "serve", "--bind", "127.0.0.1:0"],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
        )
        line = self.process.stdout.readline()
        match = re.search(r"on (http://\S+/) \(IRIs under (http://\S+/)\)", line)
        if not match:
            self.stop()
            raise SystemExit(f"reti serve did not start: {line!r}")
        self.url, self.base = match.group(1), match.group(2)

    def fetch(self, path_or_iri, accept=None):
        url = path_or_iri
        if url.startswith(self.base):
            url = self.url + url[len(self.base):]
        elif not url.startswith("http"):
            url = self.url + url.lstrip("/")
        request = urllib.request.Request(url, headers={"Accept": accept} if accept else {})
        try:
            with urllib.request.urlopen(request, timeout=60) as response:
                return response.status, response.headers, response.read()
        except urllib.error.HTTPError as e:
            return e.code, e.headers, e.read()

    def graph(self, path, accept="text/turtle"):
        status, headers, body = self.fetch(path, accept)
        g = rdflib.Graph()
        if status == 200:
            g.parse(data=body, format=RDF_FORMATS[accept], publicID=self.base + path.lstrip("/"))
        return status, headers, g

    def stop(self):
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def shacl(data, shapes_file, label):
    """Validates `data` against one shapes file; returns the results as (severity, text)."""
    shapes = rdflib.Graph().parse(shapes_file, format="turtle")
    _, report, _ = validate(data, shacl_graph=shapes, inference="none", abort_on_first=False)
    results = []
    for result in report.subjects(RDF.type, SH.ValidationResult):
        severity = report.value(result, SH.resultSeverity)
        focus = report.value(result, SH.focusNode)
        path = report.value(result, SH.resultPath)
        message = report.value(result, SH.resultMessage)
        results.append((str(severity).rsplit("#", 1)[-1], f"{focus} {path}: {message}"))
    print(f"      {label}: {len(results)} results")
    return results


def check_catalog(server, shapes_dir):
    graphs = {}
    for accept in RDF_FORMATS:
        status, headers, g = server.graph("catalog", accept)
        check(f"/catalog as {accept}: 200, {accept}", status == 200
              and headers.get("Content-Type", "").startswith(accept),
              f"{status} {headers.get('Content-Type')}")
        check(f"/catalog as {accept}: Vary: Accept", "accept" in headers.get("Vary", "").lower())
        graphs[accept] = g
    turtle = graphs["text/turtle"]
    check("catalog is not empty", len(turtle) > 100, f"{len(turtle)} triples")
    for accept, g in graphs.items():
        if accept != "text/turtle":
            check(f"catalog in {accept} is isomorphic to its Turtle", isomorphic(g, turtle),
                  f"{len(g)} vs {len(turtle)} triples")
    check("catalog has no blank nodes",
          not any(isinstance(t, rdflib.BNode) for triple in turtle for t in triple))

    status, headers, _ = server.fetch("catalog", "image/png")
    check("/catalog as image/png: 406", status == 406, str(status))

    catalog = URIRef(server.base + "catalog")
    check("the catalog is a dcat:Catalog and a dcatapit:Catalog",
          (catalog, RDF.type, DCAT.Catalog) in turtle
          and (catalog, RDF.type, DCATAPIT.Catalog) in turtle)
    datasets = list(turtle.objects(catalog, DCAT.dataset))
    check("the catalog lists one dataset", len(datasets) == 1, str(datasets))
    dataset = datasets[0] if datasets else URIRef(server.base + "catalog#dataset")
    for p in [DCT.identifier, DCT.modified, DCAT.theme, DCT.rightsHolder,
              DCT.accrualPeriodicity, DCT.publisher, DCAT.contactPoint]:
        check(f"the dataset has {turtle.qname(p)} (DCAT-AP_IT)", turtle.value(dataset, p) is not None)
    contact = turtle.value(dataset, DCAT.contactPoint)
    email = turtle.value(contact, VCARD.hasEmail) if contact else None
    check("the contact point has vcard:fn and a mailto: vcard:hasEmail",
          contact is not None and turtle.value(contact, VCARD.fn) is not None
          and str(email).startswith("mailto:"))

    # DCAT-AP 3.0.1, with the real shapes
    shapes_dir = Path(shapes_dir)
    for name, label in [("shapes.ttl", "mandatory"), ("range.ttl", "range")]:
        results = shacl(turtle, shapes_dir / name, f"DCAT-AP {label} ({name})")
        violations = [text for severity, text in results if severity == "Violation"]
        check(f"DCAT-AP {label} shapes: no violations", not violations,
              "\n      " + "\n      ".join(violations))
    # the shapes are live: the same catalog without the dataset's description, or without the
    # licence's type, must fail them
    broken = rdflib.Graph()
    for t in turtle:
        broken.add(t)
    broken.remove((dataset, DCT.description, None))
    results = shacl(broken, shapes_dir / "shapes.ttl", "control: no dct:description")
    check("control: the mandatory shapes catch a missing dct:description",
          any(severity == "Violation" for severity, _ in results))
    licence = turtle.value(catalog, DCT.license)
    broken.remove((licence, RDF.type, None))
    results = shacl(broken, shapes_dir / "range.ttl", "control: untyped licence")
    check("control: the range shapes catch an untyped licence",
          any(severity == "Violation" for severity, _ in results))
    results = shacl(turtle, shapes_dir / "shapes_recommended.ttl", "DCAT-AP recommended")
    check("DCAT-AP recommended shapes: no warnings (every recommended property present)",
          not results, "\n      " + "\n      ".join(text for _, text in results))

    # each distribution's size and checksum, against the file served
    downloads = 0
    for dist in turtle.subjects(RDF.type, DCAT.Distribution):
        url = turtle.value(dist, DCAT.downloadURL)
        if url is None:
            service = turtle.value(dist, DCAT.accessService)
            endpoint = turtle.value(service, DCAT.endpointURL) if service else None
            check(f"{dist} is accessed through a dcat:DataService with an endpoint",
                  endpoint is not None and (service, RDF.type, DCAT.DataService) in turtle)
            if endpoint is not None:
                query = urllib.parse.quote("ASK { ?s ?p ?o }")
                status, _, body = server.fetch(f"{endpoint}?query={query}",
                                               "application/sparql-results+json")
                check("the data service's endpoint answers SPARQL",
                      status == 200 and b'"boolean"' in body and b"true" in body, f"{status}")
            continue
        downloads += 1
        status, _, body = server.fetch(str(url))
        size = turtle.value(dist, DCAT.byteSize)
        checksum = turtle.value(dist, SPDX.checksum)
        value = turtle.value(checksum, SPDX.checksumValue) if checksum else None
        algorithm = turtle.value(checksum, SPDX.algorithm) if checksum else None
        check(f"{url}: served", status == 200, str(status))
        check(f"{url}: dcat:byteSize {size} is its size", size is not None
              and int(size) == len(body), f"{len(body)}")
        check(f"{url}: spdx:checksumValue is its SHA-256",
              value is not None and str(value).lower() == hashlib.sha256(body).hexdigest()
              and algorithm == SPDX.checksumAlgorithm_sha256, str(value))
    # six formats, and Turtle, N-Triples and N-Quads also gzip-compressed
    check("nine download distributions", downloads == 9, str(downloads))


def check_void(server):
    status, headers, void = server.graph(".well-known/void")
    check("/.well-known/void: 200 Turtle", status == 200, str(status))
    datasets = list(void.subjects(RDF.type, VOID.Dataset))
    main = [d for d in datasets if (None, VOID.subset, d) not in void]
    check("VoID describes one top dataset", len(main) == 1, str(main))
    if not main:
        return
    dataset = main[0]
    _, _, body = server.fetch("dumps/reti.nt")
    nt = rdflib.Graph().parse(data=body, format="nt")
    triples = void.value(dataset, VOID.triples)
    check("void:triples equals the triples of /dumps/reti.nt",
          triples is not None and int(triples) == len(nt), f"{triples} vs {len(nt)}")
    check("void:sparqlEndpoint is /sparql",
          void.value(dataset, VOID.sparqlEndpoint) == URIRef(server.base + "sparql"))
    dumps = {str(d) for d in void.objects(dataset, VOID.dataDump)}
    check("a void:dataDump per dump (six, and three .gz)", len(dumps) == 9, str(sorted(dumps)))
    subsets = list(void.objects(dataset, VOID.subset))
    check("a void:subset per named graph, each with void:triples",
          len(subsets) > 1 and all(void.value(s, VOID.triples) is not None for s in subsets))
    # each subset's count against the N-Quads dump
    _, _, body = server.fetch("dumps/reti.nq")
    quads = rdflib.Dataset()
    quads.parse(data=body, format="nquads")
    counts = {str(g.identifier): len(g) for g in quads.graphs() if len(g)}
    check("each subset's void:triples matches its graph in /dumps/reti.nq",
          all(counts.get(str(s)) == int(void.value(s, VOID.triples)) for s in subsets),
          str(counts))
    return subsets


def check_service_description(server, subsets):
    status, headers, sd = server.graph("sparql")
    check("GET /sparql as Turtle: a service description", status == 200, str(status))
    services = list(sd.subjects(RDF.type, SD.Service))
    check("one sd:Service", len(services) == 1, str(services))
    if not services:
        return
    service = services[0]
    check("sd:endpoint is /sparql", sd.value(service, SD.endpoint) == URIRef(server.base + "sparql"))
    check("sd:supportedLanguage sd:SPARQL11Query", (service, SD.supportedLanguage, SD.SPARQL11Query) in sd)
    check("sd:feature sd:UnionDefaultGraph", (service, SD.feature, SD.UnionDefaultGraph) in sd)
    formats = set(sd.objects(service, SD.resultFormat))
    check("result formats include SPARQL JSON and Turtle",
          URIRef("http://www.w3.org/ns/formats/SPARQL_Results_JSON") in formats
          and URIRef("http://www.w3.org/ns/formats/Turtle") in formats)
    dataset = sd.value(service, SD.defaultDataset)
    named = {sd.value(n, SD.name) for n in sd.objects(dataset, SD.namedGraph)} if dataset else set()
    check("an sd:namedGraph per VoID subset", named == set(subsets or []),
          f"{sorted(map(str, named))}")


def main(reti, shapes_dir):
    server = Server(reti)
    try:
        check_catalog(server, shapes_dir)
        subsets = check_void(server)
        check_service_description(server, subsets)
    finally:
        server.stop()
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    if len(sys.argv) not in (2, 3):
        sys.exit(__doc__)
    sys.exit(main(sys.argv[1], sys.argv[2] if len(sys.argv) == 3 else DEFAULT_SHAPES))
