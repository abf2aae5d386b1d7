"""The OpenAPI 3.1 description of the open data API, version 1, as data."""

from typing import Any

from placewise.public.throttle import per_minute


def _error() -> dict[str, Any]:
    return {
        "description": "An error, in JSON",
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
    }


def _number(name: str, description: str, most: int | None = None) -> dict[str, Any]:
    schema: dict[str, Any] = {"type": "integer", "minimum": 1}
    if most is not None:
        schema["maximum"] = most
    return {
        "name": name,
        "in": "query",
        "required": False,
        "description": description,
        "schema": schema,
    }


def _text(name: str, description: str) -> dict[str, Any]:
    return {
        "name": name,
        "in": "query",
        "required": False,
        "description": description,
        "schema": {"type": "string", "maxLength": 100},
    }


def document(server: str) -> dict[str, Any]:
    """The description, with the server it is served from."""
    nullable_number = {"type": ["number", "null"]}
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Published figures about children's services",
            "version": "1",
            "description": (
                "Figures the place publishes, each checked by a second person before it "
                "appears. Small counts, and anything that could be worked out from them, are "
                "withheld (null, with the reason). Nothing about any one person is ever "
                f"available. At most {per_minute()} requests a minute from one address."
            ),
        },
        "servers": [{"url": server}],
        "paths": {
            "/figures/": {
                "get": {
                    "summary": "Published figures, a page at a time",
                    "parameters": [
                        _number("page", "Page number, from 1"),
                        _number("per_page", "Figures a page (default 20)", 100),
                        _text("indicator", "Only this indicator's figures"),
                        _text("area", "Only this area's figures ('Place' for the whole place)"),
                    ],
                    "responses": {
                        "200": {
                            "description": "A page of figures",
                            "content": {
                                "application/json": {
                                    "schema": {"$ref": "#/components/schemas/FigurePage"}
                                }
                            },
                        },
                        "400": _error(),
                        "404": _error(),
                        "429": _error(),
                    },
                }
            },
            "/figures/{id}/": {
                "get": {
                    "summary": "One published figure: its metadata and months",
                    "parameters": [
                        {
                            "name": "id",
                            "in": "path",
                            "required": True,
                            "schema": {"type": "integer"},
                        }
                    ],
                    "responses": {
                        "200": {
                            "description": "The figure",
                            "content": {
                                "application/json": {
                                    "schema": {"$ref": "#/components/schemas/Figure"}
                                }
                            },
                        },
                        "404": _error(),
                        "429": _error(),
                    },
                }
            },
        },
        "components": {
            "schemas": {
                "Error": {
                    "type": "object",
                    "properties": {
                        "error": {
                            "type": "object",
                            "properties": {
                                "status": {"type": "integer"},
                                "code": {"type": "string"},
                                "message": {"type": "string"},
                            },
                        }
                    },
                },
                "FigureSummary": {
                    "type": "object",
                    "properties": {
                        "id": {"type": "integer"},
                        "indicator": {"type": "string"},
                        "title": {"type": "string"},
                        "area": {"type": "string"},
                        "units": {"type": "string"},
                        "revision": {"type": "integer"},
                        "next_update": {"type": "string", "format": "date"},
                        "url": {"type": "string"},
                    },
                },
                "FigurePage": {
                    "type": "object",
                    "properties": {
                        "count": {"type": "integer"},
                        "page": {"type": "integer"},
                        "pages": {"type": "integer"},
                        "per_page": {"type": "integer"},
                        "next": {"type": ["string", "null"]},
                        "previous": {"type": ["string", "null"]},
                        "results": {
                            "type": "array",
                            "items": {"$ref": "#/components/schemas/FigureSummary"},
                        },
                    },
                },
                "Figure": {
                    "type": "object",
                    "properties": {
                        "metadata": {"type": "object"},
                        "months": {
                            "type": "array",
                            "items": {
                                "type": "object",
                                "properties": {
                                    "period": {"type": "string", "description": "YYYY-MM"},
                                    "numerator": nullable_number,
                                    "denominator": nullable_number,
                                    "value": nullable_number,
                                    "mean": nullable_number,
                                    "lower_limit": nullable_number,
                                    "upper_limit": nullable_number,
                                    "withheld": {
                                        "type": "string",
                                        "description": "Why the month is withheld; empty if not",
                                    },
                                },
                            },
                        },
                    },
                },
            }
        },
    }
