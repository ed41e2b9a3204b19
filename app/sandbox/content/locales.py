"""What companies, addresses, banks and goods look like in each country the sandbox serves.

A demo only convinces an accountant when the documents look like the ones on their desk: a
Ghent bakery buying flour at 6 % from a Belgian supplier with a KBC account, not "Company A".
The tables are small on purpose; variety comes from combining them.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Final, Literal

Language = Literal["nl", "fr"]
RateClass = Literal["standard", "intermediate", "reduced"]


@dataclass(frozen=True)
class City:
    postal_code: str
    name: str


@dataclass(frozen=True)
class Bank:
    """A bank as it appears in an IBAN (its national code), on paper and in CODA."""

    code: str
    bic: str
    name: str


@dataclass(frozen=True)
class Trade:
    """A line of business: the word in the company name and the goods it sells."""

    word: str
    sector: str


@dataclass(frozen=True)
class LanguageArea:
    """The names, streets and towns of one language area of a country."""

    language: Language
    surnames: tuple[str, ...]
    trades: tuple[Trade, ...]
    legal_forms: tuple[str, ...]
    streets: tuple[str, ...]
    cities: tuple[City, ...]


@dataclass(frozen=True)
class Country:
    code: str
    areas: tuple[LanguageArea, ...]
    vat_rates: dict[RateClass, Decimal]
    banks: tuple[Bank, ...]
    phone_prefix: str
    web_suffix: str


@dataclass(frozen=True)
class CatalogItem:
    """Something a business sells, named in both languages, with a plausible price range."""

    nl: str
    fr: str
    unit: str  # UN/ECE Recommendation 20 unit code, as EN 16931 requires
    low: Decimal
    high: Decimal
    rate: RateClass
    max_quantity: int = 10
    fractional: bool = False


_NL_TRADES: Final = (
    Trade("Bakkerij", "food"),
    Trade("Slagerij", "food"),
    Trade("Bouwbedrijf", "construction"),
    Trade("Schrijnwerkerij", "construction"),
    Trade("Dakwerken", "construction"),
    Trade("Elektriciteitswerken", "construction"),
    Trade("Schilderwerken", "construction"),
    Trade("Garage", "automotive"),
    Trade("Transport", "automotive"),
    Trade("Studiebureau", "services"),
    Trade("Architectenbureau", "services"),
    Trade("Boekhoudkantoor", "services"),
    Trade("Drukkerij", "office"),
    Trade("IT-Diensten", "it"),
    Trade("Traiteur", "horeca"),
    Trade("Brasserie", "horeca"),
    Trade("Bloemen", "retail"),
    Trade("Tuinaanleg", "retail"),
    Trade("Fietsen", "retail"),
)

_BE_FR_TRADES: Final = (
    Trade("Boulangerie", "food"),
    Trade("Boucherie", "food"),
    Trade("Constructions", "construction"),
    Trade("Menuiserie", "construction"),
    Trade("Toitures", "construction"),
    Trade("Électricité", "construction"),
    Trade("Peinture", "construction"),
    Trade("Garage", "automotive"),
    Trade("Transports", "automotive"),
    Trade("Bureau d'études", "services"),
    Trade("Bureau d'architecture", "services"),
    Trade("Fiduciaire", "services"),
    Trade("Imprimerie", "office"),
    Trade("Informatique", "it"),
    Trade("Traiteur", "horeca"),
    Trade("Brasserie", "horeca"),
    Trade("Fleurs", "retail"),
    Trade("Jardins", "retail"),
    Trade("Cycles", "retail"),
)

_NL_NL_TRADES: Final = (
    Trade("Bakkerij", "food"),
    Trade("Slagerij", "food"),
    Trade("Bouwbedrijf", "construction"),
    Trade("Timmerbedrijf", "construction"),
    Trade("Dakdekkersbedrijf", "construction"),
    Trade("Installatiebedrijf", "construction"),
    Trade("Schildersbedrijf", "construction"),
    Trade("Autobedrijf", "automotive"),
    Trade("Transport", "automotive"),
    Trade("Adviesbureau", "services"),
    Trade("Architectenbureau", "services"),
    Trade("Administratiekantoor", "services"),
    Trade("Drukkerij", "office"),
    Trade("ICT-diensten", "it"),
    Trade("Catering", "horeca"),
    Trade("Eetcafé", "horeca"),
    Trade("Bloemisterij", "retail"),
    Trade("Hoveniersbedrijf", "retail"),
    Trade("Tweewielers", "retail"),
)

_FR_TRADES: Final = (
    Trade("Boulangerie", "food"),
    Trade("Boucherie", "food"),
    Trade("Bâtiment", "construction"),
    Trade("Menuiserie", "construction"),
    Trade("Couverture", "construction"),
    Trade("Électricité", "construction"),
    Trade("Peinture", "construction"),
    Trade("Garage", "automotive"),
    Trade("Transports", "automotive"),
    Trade("Conseil", "services"),
    Trade("Cabinet d'architecture", "services"),
    Trade("Cabinet comptable", "services"),
    Trade("Imprimerie", "office"),
    Trade("Informatique", "it"),
    Trade("Traiteur", "horeca"),
    Trade("Brasserie", "horeca"),
    Trade("Fleuriste", "retail"),
    Trade("Paysagiste", "retail"),
    Trade("Cycles", "retail"),
)

_BE_NL_SURNAMES: Final = (
    "Peeters",
    "Janssens",
    "Maes",
    "Jacobs",
    "Mertens",
    "Willems",
    "Claes",
    "Goossens",
    "Wouters",
    "De Smet",
    "Vermeulen",
    "Van den Broeck",
    "Hermans",
    "Aerts",
    "Desmet",
    "Verstraete",
    "Declercq",
    "Lambrechts",
    "Cools",
    "Van Damme",
    "De Backer",
    "Pauwels",
    "Michiels",
    "Smets",
    "Wuyts",
    "Verhoeven",
    "Bogaert",
    "Martens",
    "Claeys",
    "Stevens",
    "Van de Velde",
    "Segers",
    "Geerts",
    "Coppens",
    "Vandenberghe",
    "Dewulf",
    "Vermeersch",
)

_BE_FR_SURNAMES: Final = (
    "Dubois",
    "Lambert",
    "Dupont",
    "Martin",
    "Simon",
    "Laurent",
    "Leclercq",
    "Dumont",
    "Lejeune",
    "Renard",
    "Jacquet",
    "Denis",
    "Lemaire",
    "François",
    "Collard",
    "Mathieu",
    "Wauters",
    "Charlier",
    "Gilson",
    "Delvaux",
    "Thiry",
    "Henrard",
    "Piette",
    "Masson",
    "Gérard",
    "Hubert",
    "Fontaine",
    "Lefèbvre",
    "Bodart",
    "Marchal",
)

_NL_SURNAMES: Final = (
    "de Jong",
    "Jansen",
    "de Vries",
    "van den Berg",
    "van Dijk",
    "Bakker",
    "Visser",
    "Smit",
    "Meijer",
    "de Boer",
    "Mulder",
    "de Groot",
    "Bos",
    "Vos",
    "Hendriks",
    "van Leeuwen",
    "Dekker",
    "Brouwer",
    "de Wit",
    "Dijkstra",
    "de Graaf",
    "van der Meer",
    "van der Linden",
    "Kok",
    "de Haan",
    "van den Heuvel",
    "van der Veen",
    "Schouten",
    "van Beek",
    "Hoekstra",
    "Koster",
    "Prins",
    "Huisman",
    "Postma",
    "Kuipers",
)

_FR_SURNAMES: Final = (
    "Martin",
    "Bernard",
    "Thomas",
    "Petit",
    "Robert",
    "Richard",
    "Durand",
    "Dubois",
    "Moreau",
    "Laurent",
    "Simon",
    "Michel",
    "Lefèvre",
    "Leroy",
    "Roux",
    "David",
    "Bertrand",
    "Morel",
    "Fournier",
    "Girard",
    "Bonnet",
    "Dupont",
    "Lambert",
    "Fontaine",
    "Rousseau",
    "Vincent",
    "Muller",
    "Faure",
    "André",
    "Mercier",
    "Blanc",
    "Guérin",
    "Boyer",
    "Garnier",
    "Chevalier",
)

_LU_SURNAMES: Final = (
    "Schmit",
    "Weber",
    "Muller",
    "Wagner",
    "Hoffmann",
    "Thill",
    "Reuter",
    "Kieffer",
    "Schiltz",
    "Klein",
    "Becker",
    "Schroeder",
    "Welter",
    "Meyer",
    "Kremer",
    "Hansen",
    "Faber",
    "Majerus",
    "Goedert",
    "Theis",
    "Schmitz",
    "Wirtz",
    "Steichen",
    "Bettendorf",
    "Feller",
)

_BE_NL_STREETS: Final = (
    "Kerkstraat",
    "Stationsstraat",
    "Dorpstraat",
    "Molenstraat",
    "Nieuwstraat",
    "Schoolstraat",
    "Kapelstraat",
    "Industrieweg",
    "Brugsesteenweg",
    "Beukenlaan",
    "Kouter",
    "Grote Markt",
    "Ringlaan",
    "Leopoldlaan",
    "Veldstraat",
    "Hoogstraat",
    "Kortrijksesteenweg",
    "Lindenlaan",
)

_BE_FR_STREETS: Final = (
    "Rue de la Station",
    "Rue de l'Église",
    "Chaussée de Bruxelles",
    "Rue du Moulin",
    "Avenue Louise",
    "Rue Haute",
    "Place du Marché",
    "Rue des Champs",
    "Rue de Namur",
    "Boulevard d'Avroy",
    "Rue du Centre",
    "Avenue de la Gare",
    "Rue de l'Industrie",
    "Chaussée de Louvain",
    "Rue Saint-Gilles",
    "Rue des Près",
)

_NL_STREETS: Final = (
    "Hoofdstraat",
    "Kerkstraat",
    "Dorpsstraat",
    "Stationsweg",
    "Industrieweg",
    "Molenweg",
    "Schoolstraat",
    "Julianastraat",
    "Wilhelminastraat",
    "Beatrixlaan",
    "Nieuwe Gracht",
    "Marktplein",
    "Parallelweg",
    "Havenstraat",
    "Kanaalweg",
    "Oranjelaan",
    "Zuiderweg",
)

_FR_STREETS: Final = (
    "Rue de la République",
    "Avenue Jean Jaurès",
    "Rue Victor Hugo",
    "Boulevard Pasteur",
    "Rue du Général de Gaulle",
    "Place de la Mairie",
    "Rue des Écoles",
    "Chemin des Vignes",
    "Rue Nationale",
    "Avenue de la Libération",
    "Rue du Stade",
    "Impasse des Lilas",
    "Zone artisanale des Gravières",
    "Rue Gambetta",
    "Allée des Tilleuls",
)

_LU_STREETS: Final = (
    "Route d'Arlon",
    "Rue de Hollerich",
    "Avenue de la Liberté",
    "Rue de l'Alzette",
    "Grand-Rue",
    "Rue du Fort Wallis",
    "Boulevard Royal",
    "Rue de Luxembourg",
    "Rue de la Gare",
    "Route de Longwy",
    "Rue Principale",
    "Zone industrielle Bombicht",
)

_BE_NL_CITIES: Final = (
    City("2000", "Antwerpen"),
    City("9000", "Gent"),
    City("3000", "Leuven"),
    City("8000", "Brugge"),
    City("2800", "Mechelen"),
    City("3500", "Hasselt"),
    City("8500", "Kortrijk"),
    City("9300", "Aalst"),
    City("2300", "Turnhout"),
    City("8400", "Oostende"),
    City("9100", "Sint-Niklaas"),
    City("3800", "Sint-Truiden"),
    City("2500", "Lier"),
    City("1800", "Vilvoorde"),
    City("9200", "Dendermonde"),
    City("8800", "Roeselare"),
    City("3600", "Genk"),
    City("2440", "Geel"),
)

_BE_FR_CITIES: Final = (
    City("1000", "Bruxelles"),
    City("4000", "Liège"),
    City("6000", "Charleroi"),
    City("5000", "Namur"),
    City("7000", "Mons"),
    City("1300", "Wavre"),
    City("6700", "Arlon"),
    City("7500", "Tournai"),
    City("4800", "Verviers"),
    City("1400", "Nivelles"),
    City("1348", "Louvain-la-Neuve"),
    City("6900", "Marche-en-Famenne"),
    City("5500", "Dinant"),
    City("1050", "Ixelles"),
    City("7700", "Mouscron"),
)

_NL_CITIES: Final = (
    City("1017 CE", "Amsterdam"),
    City("3011 AD", "Rotterdam"),
    City("2511 CV", "Den Haag"),
    City("3512 JE", "Utrecht"),
    City("5611 EM", "Eindhoven"),
    City("9711 LM", "Groningen"),
    City("5038 CB", "Tilburg"),
    City("1315 HR", "Almere"),
    City("4811 XJ", "Breda"),
    City("6511 PA", "Nijmegen"),
    City("7311 NX", "Apeldoorn"),
    City("2011 VB", "Haarlem"),
    City("6811 CG", "Arnhem"),
    City("8011 PK", "Zwolle"),
    City("2312 BT", "Leiden"),
    City("6211 CL", "Maastricht"),
    City("3811 LE", "Amersfoort"),
    City("2611 HW", "Delft"),
)

_FR_CITIES: Final = (
    City("75011", "Paris"),
    City("69003", "Lyon"),
    City("13006", "Marseille"),
    City("31000", "Toulouse"),
    City("59000", "Lille"),
    City("33000", "Bordeaux"),
    City("44000", "Nantes"),
    City("67000", "Strasbourg"),
    City("35000", "Rennes"),
    City("21000", "Dijon"),
    City("51100", "Reims"),
    City("37000", "Tours"),
    City("57000", "Metz"),
    City("63000", "Clermont-Ferrand"),
    City("49000", "Angers"),
    City("80000", "Amiens"),
    City("29200", "Brest"),
    City("74000", "Annecy"),
)

_LU_CITIES: Final = (
    City("1610", "Luxembourg"),
    City("2530", "Luxembourg"),
    City("4002", "Esch-sur-Alzette"),
    City("9010", "Ettelbruck"),
    City("3450", "Dudelange"),
    City("4571", "Differdange"),
    City("9201", "Diekirch"),
    City("6460", "Echternach"),
    City("8010", "Strassen"),
    City("7220", "Walferdange"),
    City("5280", "Sandweiler"),
    City("8399", "Windhof"),
    City("3895", "Foetz"),
    City("9515", "Wiltz"),
)

COUNTRIES: Final[dict[str, Country]] = {
    "BE": Country(
        code="BE",
        areas=(
            LanguageArea(
                "nl",
                _BE_NL_SURNAMES,
                _NL_TRADES,
                ("BV", "BV", "BV", "NV", "CommV", "VOF"),
                _BE_NL_STREETS,
                _BE_NL_CITIES,
            ),
            LanguageArea(
                "fr",
                _BE_FR_SURNAMES,
                _BE_FR_TRADES,
                ("SRL", "SRL", "SRL", "SA", "SComm", "SPRL"),
                _BE_FR_STREETS,
                _BE_FR_CITIES,
            ),
        ),
        vat_rates={
            "standard": Decimal("21"),
            "intermediate": Decimal("12"),
            "reduced": Decimal("6"),
        },
        banks=(
            Bank("001", "GEBABEBB", "BNP Paribas Fortis"),
            Bank("068", "GKCCBEBB", "Belfius Bank"),
            Bank("363", "BBRUBEBB", "ING Belgium"),
            Bank("734", "KREDBEBB", "KBC Bank"),
            Bank("973", "ARSPBE22", "Argenta"),
            Bank("103", "NICABEBB", "Crelan"),
        ),
        phone_prefix="+32",
        web_suffix="be",
    ),
    "NL": Country(
        code="NL",
        areas=(
            LanguageArea(
                "nl",
                _NL_SURNAMES,
                _NL_NL_TRADES,
                ("B.V.", "B.V.", "B.V.", "V.O.F.", "N.V."),
                _NL_STREETS,
                _NL_CITIES,
            ),
        ),
        vat_rates={
            "standard": Decimal("21"),
            "intermediate": Decimal("9"),
            "reduced": Decimal("9"),
        },
        banks=(
            Bank("ABNA", "ABNANL2A", "ABN AMRO"),
            Bank("INGB", "INGBNL2A", "ING Bank"),
            Bank("RABO", "RABONL2U", "Rabobank"),
            Bank("TRIO", "TRIONL2U", "Triodos Bank"),
            Bank("SNSB", "SNSBNL2A", "SNS"),
        ),
        phone_prefix="+31",
        web_suffix="nl",
    ),
    "FR": Country(
        code="FR",
        areas=(
            LanguageArea(
                "fr",
                _FR_SURNAMES,
                _FR_TRADES,
                ("SARL", "SARL", "SAS", "SASU", "EURL", "SA"),
                _FR_STREETS,
                _FR_CITIES,
            ),
        ),
        vat_rates={
            "standard": Decimal("20"),
            "intermediate": Decimal("10"),
            "reduced": Decimal("5.5"),
        },
        banks=(
            Bank("30004", "BNPAFRPP", "BNP Paribas"),
            Bank("30003", "SOGEFRPP", "Société Générale"),
            Bank("30002", "CRLYFRPP", "LCL"),
            Bank("20041", "PSSTFRPP", "La Banque Postale"),
            Bank("10278", "CMCIFR2A", "Crédit Mutuel"),
        ),
        phone_prefix="+33",
        web_suffix="fr",
    ),
    "LU": Country(
        code="LU",
        areas=(
            LanguageArea(
                "fr",
                _LU_SURNAMES,
                _BE_FR_TRADES,
                ("S.à r.l.", "S.à r.l.", "S.A.", "SARL-S"),
                _LU_STREETS,
                _LU_CITIES,
            ),
        ),
        vat_rates={
            "standard": Decimal("17"),
            "intermediate": Decimal("8"),
            "reduced": Decimal("3"),
        },
        banks=(
            Bank("001", "BCEELULL", "Spuerkeess"),
            Bank("002", "BILLLULL", "Banque Internationale à Luxembourg"),
            Bank("003", "BGLLLULL", "BGL BNP Paribas"),
            Bank("014", "CELLLULL", "ING Luxembourg"),
            Bank("009", "CCRALULL", "Banque Raiffeisen"),
        ),
        phone_prefix="+352",
        web_suffix="lu",
    ),
}

# Legal forms written in French, used to tell a Walloon client from a Flemish one when all the
# platform kept of it is its name.
FRENCH_LEGAL_FORMS: Final = frozenset(
    {"SRL", "SA", "SComm", "SPRL", "SNC", "SC", "SARL", "SAS", "SASU", "EURL", "S.A.", "S.à r.l."}
)
DUTCH_LEGAL_FORMS: Final = frozenset({"BV", "NV", "CommV", "VOF", "CV", "BVBA", "B.V.", "N.V."})


def _item(
    nl: str,
    fr: str,
    unit: str,
    low: str,
    high: str,
    rate: RateClass = "standard",
    max_quantity: int = 10,
    fractional: bool = False,
) -> CatalogItem:
    return CatalogItem(nl, fr, unit, Decimal(low), Decimal(high), rate, max_quantity, fractional)


CATALOG: Final[dict[str, tuple[CatalogItem, ...]]] = {
    "food": (
        _item(
            "Bloem type 55, zak 25 kg",
            "Farine type 55, sac 25 kg",
            "H87",
            "18",
            "32",
            "reduced",
            20,
        ),
        _item(
            "Boter 82 %, blok 10 kg", "Beurre 82 % MG, bloc 10 kg", "H87", "60", "95", "reduced", 6
        ),
        _item(
            "Kristalsuiker, zak 25 kg",
            "Sucre cristallisé, sac 25 kg",
            "H87",
            "22",
            "35",
            "reduced",
            8,
        ),
        _item(
            "Verse eieren, tray 30 stuks",
            "Oeufs frais, plateau de 30",
            "H87",
            "6",
            "9",
            "reduced",
            40,
        ),
        _item("Rundergehakt", "Viande de boeuf hachée", "KGM", "9", "16", "reduced", 30, True),
        _item(
            "Kartonnen dozen (100 stuks)",
            "Boîtes en carton (100 pièces)",
            "H87",
            "25",
            "45",
            "standard",
            5,
        ),
        _item("Leveringskosten", "Frais de livraison", "C62", "15", "60", "standard", 1),
    ),
    "construction": (
        _item(
            "Cement CEM II 42,5, zak 25 kg",
            "Ciment CEM II 42,5, sac 25 kg",
            "H87",
            "6",
            "10",
            "standard",
            80,
        ),
        _item("Metselzand", "Sable de maçonnerie", "TNE", "25", "45", "standard", 12, True),
        _item(
            "Betonblokken 14 cm (pallet)",
            "Blocs béton 14 cm (palette)",
            "H87",
            "180",
            "320",
            "standard",
            6,
        ),
        _item(
            "Constructiehout 38x63 mm",
            "Bois de construction 38x63 mm",
            "MTR",
            "2",
            "5",
            "standard",
            200,
        ),
        _item(
            "Arbeidsuren vakman", "Main-d'oeuvre qualifiée", "HUR", "45", "65", "standard", 40, True
        ),
        _item("Huur minigraver", "Location mini-pelle", "DAY", "150", "260", "standard", 5),
        _item(
            "Afvalcontainer 10 m³", "Conteneur à déchets 10 m³", "H87", "250", "400", "standard", 2
        ),
    ),
    "automotive": (
        _item("Diesel", "Gazole", "LTR", "1.55", "1.95", "standard", 80, True),
        _item("Onderhoudsbeurt", "Entretien périodique", "C62", "180", "390", "standard", 2),
        _item("Zomerband 205/55 R16", "Pneu été 205/55 R16", "H87", "85", "140", "standard", 4),
        _item("Motorolie 5W30", "Huile moteur 5W30", "LTR", "9", "16", "standard", 6),
        _item(
            "Arbeidsuren mecanicien",
            "Main-d'oeuvre mécanicien",
            "HUR",
            "55",
            "80",
            "standard",
            8,
            True,
        ),
        _item(
            "Ruitenwisserbladen (set)",
            "Balais d'essuie-glace (jeu)",
            "SET",
            "25",
            "45",
            "standard",
            2,
        ),
    ),
    "services": (
        _item("Advies", "Conseil", "HUR", "85", "160", "standard", 20, True),
        _item(
            "Opmaak jaarrekening",
            "Établissement des comptes annuels",
            "C62",
            "900",
            "2400",
            "standard",
            1,
        ),
        _item(
            "Btw-aangifte (kwartaal)",
            "Déclaration TVA (trimestre)",
            "C62",
            "150",
            "350",
            "standard",
            1,
        ),
        _item("Loonadministratie", "Gestion des salaires", "MON", "120", "450", "standard", 3),
        _item("Dossierkosten", "Frais de dossier", "C62", "25", "75", "standard", 1),
        _item(
            "Verplaatsingskosten", "Frais de déplacement", "KMT", "0.35", "0.45", "standard", 200
        ),
    ),
    "it": (
        _item(
            "Laptop 14 inch, 16 GB",
            "Ordinateur portable 14 pouces, 16 Go",
            "H87",
            "850",
            "1600",
            "standard",
            4,
        ),
        _item("Monitor 27 inch", "Écran 27 pouces", "H87", "180", "420", "standard", 6),
        _item(
            "Licentie kantoorsoftware",
            "Licence suite bureautique",
            "MON",
            "10",
            "25",
            "standard",
            25,
        ),
        _item("Cloudhosting", "Hébergement cloud", "MON", "40", "300", "standard", 3),
        _item(
            "Ontwikkeling en consultancy",
            "Développement et consultance",
            "HUR",
            "75",
            "125",
            "standard",
            40,
            True,
        ),
        _item("Support en onderhoud", "Support et maintenance", "MON", "90", "600", "standard", 3),
    ),
    "office": (
        _item(
            "Kopieerpapier A4 80 g (doos)",
            "Papier A4 80 g (carton)",
            "H87",
            "22",
            "35",
            "standard",
            10,
        ),
        _item("Tonercartridge zwart", "Cartouche de toner noir", "H87", "60", "140", "standard", 4),
        _item(
            "Folders A5 (1000 stuks)", "Dépliants A5 (1000 ex.)", "C62", "120", "260", "standard", 3
        ),
        _item(
            "Visitekaartjes (500 stuks)",
            "Cartes de visite (500 ex.)",
            "C62",
            "35",
            "80",
            "standard",
            4,
        ),
        _item(
            "Ergonomische bureaustoel",
            "Chaise de bureau ergonomique",
            "H87",
            "180",
            "450",
            "standard",
            4,
        ),
        _item(
            "Ordners A4 (doos van 10)",
            "Classeurs A4 (boîte de 10)",
            "H87",
            "15",
            "30",
            "standard",
            6,
        ),
    ),
    "horeca": (
        _item("Koffiebonen", "Café en grains", "KGM", "14", "28", "reduced", 20),
        _item(
            "Frisdrank, bak 24 x 25 cl",
            "Boissons, casier 24 x 25 cl",
            "H87",
            "14",
            "22",
            "reduced",
            20,
        ),
        _item("Vatbier 20 l", "Bière en fût 20 l", "H87", "60", "95", "standard", 10),
        _item(
            "Rode wijn, fles 75 cl", "Vin rouge, bouteille 75 cl", "H87", "6", "18", "standard", 36
        ),
        _item(
            "Catering per persoon",
            "Service traiteur par personne",
            "C62",
            "25",
            "55",
            "intermediate",
            80,
        ),
        _item("Zaalhuur", "Location de salle", "DAY", "250", "800", "standard", 2),
    ),
    "retail": (
        _item("Snijbloemen (bos)", "Fleurs coupées (bouquet)", "H87", "12", "45", "reduced", 20),
        _item("Potgrond 40 l", "Terreau 40 l", "H87", "5", "12", "reduced", 30),
        _item("Onderhoud fiets", "Entretien vélo", "C62", "45", "95", "standard", 3),
        _item("Stadsfiets", "Vélo de ville", "H87", "450", "900", "standard", 3),
        _item("Tuinonderhoud", "Entretien de jardin", "HUR", "35", "55", "standard", 16, True),
        _item("Haagplanten", "Plants de haie", "H87", "4", "9", "reduced", 60),
    ),
}

SECTORS: Final[tuple[str, ...]] = tuple(CATALOG)

FIRST_NAMES: Final[dict[Language, tuple[str, ...]]] = {
    "nl": (
        "Jan",
        "Pieter",
        "Lotte",
        "Sarah",
        "Tom",
        "Els",
        "Koen",
        "Lies",
        "Bram",
        "Emma",
        "Wouter",
        "Sofie",
        "Jeroen",
        "Anke",
        "Lars",
        "Fien",
    ),
    "fr": (
        "Marie",
        "Julien",
        "Sophie",
        "Thomas",
        "Camille",
        "Nicolas",
        "Laura",
        "Antoine",
        "Claire",
        "Louis",
        "Céline",
        "Olivier",
        "Manon",
        "Hugo",
        "Chloé",
        "Mathieu",
    ),
}
