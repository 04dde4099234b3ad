"""The type hints (__init__.pyi) describe exactly the public API the package has."""

import ast
import inspect
import os

import bucketdb

STUB = os.path.join(os.path.dirname(bucketdb.__file__), "__init__.pyi")


def stub_tree():
    with open(STUB, encoding="utf-8") as f:
        return ast.parse(f.read())


def public(names):
    # Constructors are left out: only Database and the value types are made by programs.
    return {n for n in names if not n.startswith("_") or n in ("__enter__", "__exit__",
                                                               "__iter__", "__next__", "__len__",
                                                               "__getitem__", "__setitem__",
                                                               "__contains__")}


def test_every_exported_name_is_typed():
    tree = stub_tree()
    declared = set()
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.ClassDef)):
            declared.add(node.name)
        elif isinstance(node, ast.AnnAssign):
            declared.add(node.target.id)
    assert set(bucketdb.__all__) <= declared, set(bucketdb.__all__) - declared


def test_every_class_has_the_methods_its_stub_names():
    for node in stub_tree().body:
        if not isinstance(node, ast.ClassDef):
            continue
        cls = getattr(bucketdb, node.name)
        if issubclass(cls, Exception):
            assert [b.id for b in node.bases] == [b.__name__ for b in cls.__bases__], node.name
            continue
        in_stub = public(n.name for n in node.body if isinstance(n, ast.FunctionDef))
        in_stub |= {n.target.id for n in node.body if isinstance(n, ast.AnnAssign)}
        own = public(name for name, _ in inspect.getmembers(cls) if name in vars(cls) or
                     any(name in vars(b) for b in cls.__mro__ if b.__module__.startswith("bucketdb")))
        own |= set(getattr(cls, "__slots__", ())) - {"_db", "_n", "_done", "_token",
                                                      "_token_error", "_tables", "__weakref__"}
        assert in_stub == own, (node.name, in_stub ^ own)
