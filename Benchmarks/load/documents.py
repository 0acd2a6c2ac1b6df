"""The benchmark document (13 client fields: nested objects, an array, a date), the same
shape as Benchmarks/Pipeline/Pipeline.swift's documentJSON."""
import json

CATEGORIES = ["widgets", "gadgets", "gizmos"]


def document(i, extended=False):
    released = "2024-03-01T12:00:00Z"
    return {
        "name": "Widget %05d" % i,
        "sku": "WID-%d" % i,
        "price": float(i % 500) + 0.99,
        "qty": i % 1000,
        "category": CATEGORIES[i % 3],
        "tags": ["blue", "steel", "sale"],
        "dims": {"w": 10.5, "h": 2.25, "d": 4},
        "supplier": {"name": "Acme Supplies", "country": "DE"},
        "released": {"$date": released} if extended else released,
        "rating": 4.5,
        "active": True,
        "group": i % 100,
        "notes": "Standard widget, ships in two days. Keep dry.",
    }


def body(start, count, extended=False):
    """{"documents":[...]} as one line of compact JSON."""
    docs = [document(i, extended) for i in range(start, start + count)]
    return json.dumps({"documents": docs}, separators=(",", ":"))
