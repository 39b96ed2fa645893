"""Query communs-kg from Python with SPARQLWrapper (Debian: python3-sparqlwrapper).

Usage: /usr/bin/python3 examples/sparqlwrapper_example.py [ENDPOINT]
The endpoint defaults to http://127.0.0.1:3000/sparql (npm start).
"""
import sys

from SPARQLWrapper import JSON, TURTLE, SPARQLWrapper

ENDPOINT = sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:3000/sparql"

SPEAKERS = """
PREFIX ck: <https://w3id.org/communs-kg/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?name (COUNT(?claim) AS ?claims) WHERE {
  ?claim ck:claimant ?person .
  ?person rdfs:label ?name FILTER(lang(?name) = "fr")
}
GROUP BY ?name
ORDER BY DESC(?claims) ?name
"""

QUOTES = """
PREFIX ck: <https://w3id.org/communs-kg/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
CONSTRUCT { ?claim ck:text ?text } WHERE {
  ?claim a ck:Quote ; ck:text ?text ; ck:claimant ?person .
  ?person rdfs:label "Pierre Slamich"@fr
}
"""


def main() -> None:
    sparql = SPARQLWrapper(ENDPOINT)
    sparql.setQuery(SPEAKERS)
    sparql.setReturnFormat(JSON)
    rows = sparql.query().convert()["results"]["bindings"]
    for row in rows:
        print(f"{row['name']['value']}\t{row['claims']['value']}")

    sparql.setQuery(QUOTES)
    sparql.setReturnFormat(TURTLE)
    turtle = sparql.query().convert()
    print(f"quotes of Pierre Slamich as Turtle: {len(turtle)} bytes")


if __name__ == "__main__":
    main()
