"""A minimal stand-in for the few CKAN names that ckanext-dcat's RDF parser imports, so that its
real parser and profiles run without a CKAN site (CKAN itself needs PostgreSQL, Solr and Redis
to import its model).

What harvesting depends on is CKAN's own code and data, not stood in for: the licence register
is CKAN's `ckan/model/license.py` and the resource formats CKAN's
`ckan/config/resource_formats.json`, both read from the `ckan` package installed with
`pip install --no-deps` (its source only). Stood in for: the site configuration (empty: every
option at its default), translation (`_` returns the text), the action API and URL building
(not called when parsing), `munge_tag` (not called: ckanext-dcat cleans tags only when
`ckanext.dcat.clean_tags` is set), and `requests` (CKAN's licence register fetches a remote
licence list only when `licenses_group_url` is set).

Call `install()` before importing anything from `ckanext.dcat`.
"""

import importlib.metadata
import importlib.util
import json
import sys
import types


class Config(dict):
    """CKAN's configuration: empty, so every option takes its default."""


CONFIG = Config()

TRUTHY = frozenset(["true", "yes", "on", "y", "t", "1"])
FALSY = frozenset(["false", "no", "off", "n", "f", "0"])


def asbool(obj):
    """As `ckan.common.asbool`."""
    if isinstance(obj, str):
        obj = obj.strip().lower()
        if obj in TRUTHY:
            return True
        if obj in FALSY:
            return False
        raise ValueError(f"String is not true/false: {obj!r}")
    return bool(obj)


def aslist(obj, sep=None, strip=True):
    """As `ckan.common.aslist`."""
    if isinstance(obj, str):
        items = obj.split(sep)
        return [i.strip() for i in items] if strip else items
    if isinstance(obj, (list, tuple)):
        return obj
    return [] if obj is None else [obj]


class ObjectNotFound(Exception):
    pass


class HelperError(Exception):
    pass


class Invalid(Exception):
    pass


class StopOnError(Exception):
    pass


class Missing:
    """The value of a field not given (`ckan.lib.navl.dictization_functions.missing`)."""


MISSING = Missing()


class Interface:
    """A plugin interface: no plugins are loaded, so none implements it."""


def not_called(name):
    def fail(*args, **kwargs):
        raise AssertionError(f"{name} is not expected to be called while parsing")

    return fail


def ckan_file(path):
    """A file of the installed `ckan` package."""
    located = importlib.metadata.distribution("ckan").locate_file(path)
    return str(located)


def get_action(name):
    """As CKAN's with no plugin loaded: no action is registered (ckanext-dcat asks for
    ckanext-scheming's, and falls back to CKAN's default schema on KeyError)."""
    raise KeyError(f"Action '{name}' not found")


_RESOURCE_FORMATS = {}


def resource_formats():
    """As `ckan.lib.helpers.resource_formats`, over CKAN's own resource_formats.json."""
    if not _RESOURCE_FORMATS:
        with open(ckan_file("ckan/config/resource_formats.json"), encoding="utf-8") as f:
            for line in json.load(f):
                if line[0] == "_comment":
                    continue
                canonical = [line[2], line[0], line[1]]
                alternatives = line[3] if len(line) == 4 else []
                for item in canonical + alternatives:
                    if item:
                        _RESOURCE_FORMATS[item.lower()] = canonical
    return _RESOURCE_FORMATS


def module(name, **attributes):
    m = types.ModuleType(name)
    m.__dict__.update(attributes)
    m.__path__ = []  # a package, so that its submodules are found in sys.modules
    sys.modules[name] = m
    return m


def install():
    toolkit = dict(
        config=CONFIG,
        asbool=asbool,
        aslist=aslist,
        ObjectNotFound=ObjectNotFound,
        get_action=get_action,
        url_for=not_called("url_for"),
        h=types.SimpleNamespace(),
        _=lambda s: s,
        missing=MISSING,
        Invalid=Invalid,
        StopOnError=StopOnError,
    )
    module("ckan")
    module("ckan.common", config=CONFIG, _=lambda s: s, json=json, asbool=asbool, aslist=aslist)
    module("ckan.exceptions", HelperError=HelperError)
    module("requests", get=not_called("requests.get"))
    plugins = module(
        "ckan.plugins",
        PluginImplementations=lambda interface: [],
        implements=lambda *a, **k: None,
        SingletonPlugin=object,
        Interface=Interface,
    )
    plugins.toolkit = module("ckan.plugins.toolkit", **toolkit)
    plugins.interfaces = module("ckan.plugins.interfaces", Interface=Interface)
    module("ckantoolkit", **toolkit)
    module("ckan.lib")
    module("ckan.lib.helpers", resource_formats=resource_formats)
    module("ckan.lib.munge", munge_tag=not_called("munge_tag"))
    module("ckan.views")
    module("ckan.views.home", index=not_called("index"))
    module("ckan.views.dataset", read=not_called("read"))
    model = module("ckan.model")
    # CKAN's licence register, its own source
    spec = importlib.util.spec_from_file_location(
        "ckan.model.license", ckan_file("ckan/model/license.py")
    )
    license_module = importlib.util.module_from_spec(spec)
    sys.modules["ckan.model.license"] = license_module
    spec.loader.exec_module(license_module)
    model.license = license_module
    model.License = license_module.License
