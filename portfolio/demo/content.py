"""The demo: real municipalities and constellations, invented people."""

DEMO_PASSWORD = "samverkan-demo-2026"  # noqa: S105 - printed to the user by `make run`

CONSTELLATIONS = [
    {
        "short_name": "Dalsland",
        "name": "Dalslands sex kommuner",
        "members": ["1460", "1438", "1439", "1461", "1487", "1492"],
        "governance_mode": "shared",
        "collaboration_form": "avtalssamverkan",
        "areas": ["IT", "Digitalisering"],
        "description": "Bengtsfors, Dals-Ed, Färgelanda, Mellerud, Vänersborg och Åmål.",
    },
    {
        "short_name": "4D",
        "name": "Dalsland 4D",
        "members": ["1460", "1438", "1439", "1461"],
        "governance_mode": "shared",
        "collaboration_form": "avtalssamverkan",
        "areas": ["IT", "Digitalisering"],
        "description": "Bengtsfors, Dals-Ed, Färgelanda och Mellerud.",
    },
    {
        "short_name": "5D",
        "name": "Dalsland 5D",
        "members": ["1460", "1438", "1439", "1461", "1492"],
        "governance_mode": "shared",
        "collaboration_form": "avtalssamverkan",
        "areas": ["IT", "Digitalisering", "Lön/HR"],
        "description": "4D och Åmål.",
    },
    {
        "short_name": "V6",
        "name": "V6 Skaraborg",
        "members": ["1495", "1494", "1470", "1445", "1471", "1444"],
        "governance_mode": "nao",
        "collaboration_form": "gemensam_namnd",
        "host": "1495",
        "areas": ["IT", "Digitalisering"],
        "description": "Skara, Lidköping, Vara, Essunga, Götene och Grästorp med Göliska IT.",
        # Organisations that are members besides the municipalities, and since when.
        "organisations": [("222000-1719", "2020-01-01")],
    },
    {
        "short_name": "VMD",
        "name": "Västra Mälardalen",
        "members": ["1984", "1983", "1960"],
        "governance_mode": "lead",
        "lead": "1983",
        "collaboration_form": "avtalssamverkan",
        "areas": ["IT", "Renhållning", "Gymnasieutbildning", "Räddningstjänst"],
        "description": "Arboga, Köping och Kungsör.",
    },
]

AGREEMENTS = [
    {
        "title": "Avtal om utveckling och utbyte av kunskap om strategiskt arbete i "
        "regioner och kommuner (STARK)",
        "constellation": "VMD",
        "parties": ["1984", "1983", "1960"],
        "form": "avtalssamverkan",
        "starts_on": "2025-10-01",
        "ends_on": "2028-09-30",
        "yearly_fee_per_party": 69000,
        "notice_period_months": 6,
        "registration_number": "KS 2025/412",
        "organisations": ["232100-0172", "232100-0032", "202100-2874", "202100-1603"],
    },
]

# Parties besides the municipalities: name, kind, organisation number. The numbers pass
# the check digit; they stand for the demo and are not checked against Bolagsverket.
ORGANISATIONS = [
    ("Göliska IT", "kommunalforbund", "222000-1719"),
    ("Region Västmanland", "region", "232100-0172"),
    ("Region Sörmland", "region", "232100-0032"),
    ("Länsstyrelsen Västmanland", "lansstyrelse", "202100-2874"),
    ("Mälardalens universitet", "larosate", "202100-1603"),
]

# username, first, last, municipality, title, roles
PEOPLE = [
    ("kd.bengtsfors", "Karin", "Ålander", "1460", "Kommundirektör", ["kommundirektor"]),
    ("kd.amal", "Per", "Ekström", "1492", "Kommundirektör", ["kommundirektor"]),
    ("kd.vanersborg", "Lena", "Holm", "1487", "Kommundirektör", ["kommundirektor"]),
    ("kd.skara", "Jonas", "Berglöf", "1495", "Kommundirektör", ["kommundirektor"]),
    ("kd.arboga", "Maria", "Sandell", "1984", "Kommundirektör", ["kommundirektor"]),
    ("programledare", "Anna", "Lindqvist", "1461", "Programledare", ["programledare"]),
    ("itchef", "Erik", "Dahlgren", "1438", "IT-chef", ["it_chef"]),
    ("initiativagare", "Sofia", "Nyberg", "1439", "Verksamhetsutvecklare", ["initiativagare"]),
    ("samordnare", "Johan", "Wikström", "1487", "Portföljsamordnare", ["samordnare"]),
    ("lasare", "Eva", "Strand", "1439", "Revisor", ["lasare"]),
    ("itchef.skara", "Ali", "Haddad", "1495", "IT-chef", ["it_chef"]),
    # Holds her role in one program only (SCOPED_ROLES), nowhere else.
    ("pl.lidkoping", "Sara", "Öberg", "1494", "Digitaliseringsstrateg", []),
]

# Roles for one portfolio or program: username, role, portfolio prefix, program (or None).
SCOPED_ROLES = [
    ("pl.lidkoping", "programledare", "V6", "Digital välfärd"),
]

# The users `make run` prints: one per role, two directors in different municipalities.
DEMO_LOGINS = [
    "kd.bengtsfors",
    "kd.amal",
    "programledare",
    "itchef",
    "initiativagare",
    "samordnare",
    "lasare",
]

PORTFOLIOS = [
    {
        "name": "Digitalisering Dalsland",
        "constellation": "Dalsland",
        "prefix": "DAL",
        "sender": "Portföljkontoret, Dalslands kommuner",
        "goals": [
            ("Effektivare verksamhet genom gemensamma plattformar", "God ekonomisk hushållning"),
            ("Bättre digitala tjänster för invånarna", "Tillgänglig service"),
        ],
        "programs": [
            ("Effektiv kommun", "programledare", {2025: 2_400_000, 2026: 3_100_000}),
            ("Omvårdnad Dalsland", "programledare", {2025: 1_800_000, 2026: 2_200_000}),
        ],
        # title, program, stage, area, target, level, proposer, participants, costs
        "initiatives": [
            (
                "Gemensam IT-fabrik",
                "Effektiv kommun",
                "projekt",
                "it_fabrik",
                "medarbetare",
                5,
                "1487",
                ["1460", "1438", "1439", "1461", "1487", "1492"],
                1_450_000,
            ),
            (
                "Gemensam systemförvaltarorganisation",
                "Effektiv kommun",
                "forstudie",
                "insida",
                "medarbetare",
                3,
                "1461",
                ["1460", "1439", "1461", "1487", "1492"],
                320_000,
            ),
            (
                "Informationssäkerhet (KLASSA)",
                "Effektiv kommun",
                "implementation",
                "insida",
                "medarbetare",
                3,
                "1460",
                ["1460", "1438", "1439", "1461", "1487", "1492"],
                540_000,
            ),
            (
                "Plattformsstrategi",
                "Effektiv kommun",
                "uppdrag",
                "it_fabrik",
                "medarbetare",
                5,
                "1487",
                ["1460", "1438", "1439", "1461", "1487", "1492"],
                260_000,
            ),
            (
                "Gemensam helpdesk",
                "Effektiv kommun",
                "ide",
                "it_fabrik",
                "medarbetare",
                4,
                "1492",
                [],
                0,
            ),
            (
                "Telefoni i 5D",
                "Effektiv kommun",
                "forvaltning",
                "it_fabrik",
                "medarbetare",
                3,
                "1438",
                ["1460", "1438", "1439", "1461", "1492"],
                880_000,
            ),
            (
                "Lön och HR-system",
                "Effektiv kommun",
                "forstudie",
                "insida",
                "medarbetare",
                3,
                "1439",
                ["1439", "1461", "1492"],
                410_000,
            ),
            (
                "E-tjänsteplattform",
                "Omvårdnad Dalsland",
                "projekt",
                "utsida",
                "invanare",
                5,
                "1492",
                ["1460", "1439", "1461", "1492"],
                990_000,
            ),
            (
                "Schoolsoft i 4D",
                "Omvårdnad Dalsland",
                "implementation",
                "utsida",
                "bada",
                2,
                "1460",
                ["1460", "1438", "1439", "1461"],
                350_000,
            ),
            (
                "Sammanhållen elevadministration",
                "Omvårdnad Dalsland",
                "ide",
                "insida",
                "medarbetare",
                3,
                "1461",
                [],
                0,
            ),
            (
                "Digitala trygghetslarm",
                "Omvårdnad Dalsland",
                "forvaltning",
                "utsida",
                "invanare",
                2,
                "1487",
                ["1460", "1438", "1461", "1487"],
                1_200_000,
            ),
            (
                "Välfärdsteknik i hemtjänsten",
                "Omvårdnad Dalsland",
                "avslagen",
                "utsida",
                "invanare",
                1,
                "1438",
                [],
                0,
            ),
        ],
    },
    {
        "name": "V6 digitalisering",
        "constellation": "V6",
        "prefix": "V6",
        "sender": "Göliska IT, portföljkontoret",
        "goals": [("Nya, nyttiga och nyttiggjorda lösningar (3N)", "Digitalisering i samverkan")],
        "programs": [("Digital välfärd", None, {2026: 1_500_000})],
        "initiatives": [
            (
                "Gemensam e-arkivlösning",
                "Digital välfärd",
                "projekt",
                "it_fabrik",
                "medarbetare",
                5,
                "1495",
                ["1495", "1494", "1470", "1445", "1471", "1444"],
                1_100_000,
            ),
            (
                "Chattbot för kommunvägledning",
                "Digital välfärd",
                "forstudie",
                "utsida",
                "invanare",
                3,
                "1494",
                ["1494", "1470", "1495"],
                150_000,
            ),
        ],
    },
    {
        "name": "Västra Mälardalen samverkan",
        "constellation": "VMD",
        "prefix": "VMD",
        "sender": "Kommunstyrelseförvaltningen",
        "goals": [("Hållbar service i tre kommuner", "Samverkan för kvalitet")],
        "programs": [("IT och digitalisering", None, {2026: 900_000})],
        "initiatives": [
            (
                "Gemensam IT-drift",
                "IT och digitalisering",
                "implementation",
                "it_fabrik",
                "medarbetare",
                4,
                "1983",
                ["1984", "1983", "1960"],
                2_300_000,
            ),
        ],
    },
]

PRIORITY_CRITERIA = [
    ("Nytta", 30),
    ("Strategisk överensstämmelse", 20),
    ("Genomförbarhet", 15),
    ("Risk", 10),
    ("Kostnad", 10),
    ("Antal kommuner", 15),
]

# Each portfolio's own decision-making bodies (seeds 001-004): name, kind, program (None:
# the whole portfolio), matters, chair, secretary, members. The first director of the
# constellation chairs the board, so the demo's past decisions are that body's.
# Substitutes (ersättare) of a body, by portfolio and body name.
BODY_SUBSTITUTES = {"DAL": {"Portföljstyrgruppen": ["itchef"]}}

BODIES = {
    "DAL": [
        (
            "Portföljstyrgruppen",
            "portfoljstyrgrupp",
            None,
            ["G1", "G3", "avbryt", "avrakning"],
            "kd.bengtsfors",
            "samordnare",
            ["kd.bengtsfors", "kd.amal", "kd.vanersborg"],
        ),
        (
            "Programstyrgruppen Effektiv kommun",
            "programstyrgrupp",
            "Effektiv kommun",
            ["G0", "G2"],
            "programledare",
            None,
            ["programledare", "itchef"],
        ),
        (
            "Programstyrgruppen Omvårdnad Dalsland",
            "programstyrgrupp",
            "Omvårdnad Dalsland",
            ["G0", "G2"],
            "programledare",
            None,
            ["programledare"],
        ),
    ],
    "V6": [
        (
            "Strategiska beställargruppen",
            "bestallargrupp",
            None,
            ["G0", "G1", "G2", "G3", "avbryt", "avrakning"],
            "kd.skara",
            None,
            ["kd.skara", "itchef.skara"],
        ),
        (
            "Direktionen för Göliska IT",
            "direktion",
            None,
            ["avtal"],
            "kd.skara",
            None,
            ["kd.skara"],
        ),
    ],
    "VMD": [
        (
            "Kommundirektörsgruppen",
            "portfoljstyrgrupp",
            None,
            ["G0", "G1", "G2", "G3", "avbryt", "avrakning", "avtal"],
            "kd.arboga",
            None,
            ["kd.arboga"],
        ),
    ],
}
