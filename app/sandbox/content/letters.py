"""The "other" documents of a client: a lease, an insurance notice, a supplier's letter.

They are what lands in an accountant's "other" folder: not bookable as such, but needed for the
file. Each says who sent it and states one amount (rent, premium, overdue balance, or nothing),
which is what the platform lists beside it.
"""

from __future__ import annotations

import datetime
import random
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from app.sandbox.content import identifiers
from app.sandbox.content.clients import Party, person_name, random_party, trading_as
from app.sandbox.content.invoices import cents
from app.sandbox.content.locales import Language
from app.sandbox.content.pdf import ACCENT, INK, Document, day, money, party_block

_MONTHS: dict[Language, tuple[str, ...]] = {
    "nl": (
        "januari",
        "februari",
        "maart",
        "april",
        "mei",
        "juni",
        "juli",
        "augustus",
        "september",
        "oktober",
        "november",
        "december",
    ),
    "fr": (
        "janvier",
        "février",
        "mars",
        "avril",
        "mai",
        "juin",
        "juillet",
        "août",
        "septembre",
        "octobre",
        "novembre",
        "décembre",
    ),
}


def long_date(value: datetime.date, language: Language) -> str:
    return f"{value.day} {_MONTHS[language][value.month - 1]} {value.year}"


@dataclass(frozen=True)
class Letter:
    """A rendered "other" document and what the platform shows about it."""

    kind: str  # contract, insurance, letter, reminder: the start of the file name
    number: str
    amount: Decimal
    sender: str
    pdf: bytes

    @property
    def file_name(self) -> str:
        return f"{self.kind}-{self.number}.pdf"


# Clauses of general terms, for the annex that gives long (padded) documents their length.
_CLAUSES: dict[Language, tuple[str, ...]] = {
    "nl": (
        "Alle facturen zijn betaalbaar binnen de overeengekomen termijn op het vermelde "
        "rekeningnummer, zonder korting.",
        "Bij niet-betaling op de vervaldag is van rechtswege en zonder ingebrekestelling een "
        "verwijlintrest verschuldigd tegen de wettelijke rentevoet voor handelstransacties.",
        "Klachten moeten binnen acht dagen na ontvangst schriftelijk en gemotiveerd worden "
        "gemeld; nadien worden zij niet meer aanvaard.",
        "De partijen verbinden zich ertoe de vertrouwelijke informatie die zij van elkaar "
        "ontvangen niet aan derden mee te delen.",
        "Overmacht schorst de verplichtingen van de partijen zolang zij duurt, zonder dat een "
        "schadevergoeding verschuldigd is.",
        "Elke wijziging van deze overeenkomst moet schriftelijk gebeuren en door beide "
        "partijen worden ondertekend.",
        "Indien een bepaling nietig zou zijn, blijven de overige bepalingen onverminderd van "
        "kracht.",
        "Persoonsgegevens worden verwerkt overeenkomstig de Algemene Verordening "
        "Gegevensbescherming en enkel voor de uitvoering van deze overeenkomst.",
        "De aansprakelijkheid van de leverancier is beperkt tot het bedrag van de betrokken "
        "bestelling, behalve bij opzet of zware fout.",
        "Geleverde goederen blijven eigendom van de verkoper tot de volledige betaling van de "
        "prijs.",
        "Op deze overeenkomst is uitsluitend het {law} recht van toepassing.",
        "Geschillen behoren tot de uitsluitende bevoegdheid van de rechtbanken van de zetel "
        "van de verkoper.",
        "De levertermijnen worden slechts ter informatie gegeven; een vertraging geeft geen "
        "recht op ontbinding of schadevergoeding.",
        "De prijzen zijn uitgedrukt in euro, exclusief btw, en kunnen worden aangepast bij een "
        "wijziging van de loonkosten of de grondstofprijzen.",
        "Elke betwisting van een factuur schort de betaling van het niet-betwiste gedeelte "
        "niet op.",
        "Kennisgevingen gebeuren per aangetekende brief of per e-mail met ontvangstbevestiging.",
    ),
    "fr": (
        "Toutes les factures sont payables dans le délai convenu sur le compte indiqué, sans "
        "escompte.",
        "En cas de non-paiement à l'échéance, un intérêt de retard est dû de plein droit et "
        "sans mise en demeure au taux légal applicable aux transactions commerciales.",
        "Les réclamations doivent être formulées par écrit et motivées dans les huit jours de "
        "la réception ; passé ce délai, elles ne sont plus admises.",
        "Les parties s'engagent à ne pas communiquer à des tiers les informations "
        "confidentielles qu'elles reçoivent l'une de l'autre.",
        "La force majeure suspend les obligations des parties pendant toute sa durée, sans "
        "qu'une indemnité soit due.",
        "Toute modification du présent contrat doit être faite par écrit et signée par les "
        "deux parties.",
        "Si une disposition devait être nulle, les autres dispositions resteraient pleinement "
        "en vigueur.",
        "Les données personnelles sont traitées conformément au Règlement général sur la "
        "protection des données et uniquement pour l'exécution du présent contrat.",
        "La responsabilité du fournisseur est limitée au montant de la commande concernée, "
        "sauf dol ou faute grave.",
        "Les marchandises livrées restent la propriété du vendeur jusqu'au paiement intégral "
        "du prix.",
        "Le présent contrat est régi exclusivement par le droit {law}.",
        "Tout litige relève de la compétence exclusive des tribunaux du siège du vendeur.",
        "Les délais de livraison sont donnés à titre indicatif ; un retard ne donne droit ni à "
        "la résolution ni à une indemnité.",
        "Les prix sont exprimés en euros, hors TVA, et peuvent être adaptés en cas de "
        "modification du coût salarial ou du prix des matières premières.",
        "La contestation d'une facture ne suspend pas le paiement de la partie non contestée.",
        "Les notifications se font par lettre recommandée ou par courriel avec accusé de "
        "réception.",
    ),
}


def make_letter(
    client: Party,
    rng: random.Random,
    date: datetime.date,
    *,
    annex_articles: int = 0,
    compress: bool = True,
) -> Letter:
    """One "other" document for ``client``, with ``annex_articles`` articles of general terms."""
    maker: Callable[..., Letter] = rng.choice((_lease, _insurance, _price_notice, _reminder))
    return maker(client, rng, date, annex_articles, compress)


def _start(
    sender: Party,
    recipient: Party,
    date: datetime.date,
    language: Language,
    compress: bool,
    title: str,
) -> Document:
    """A letter page: letterhead, recipient in the envelope window, place and date."""
    pdf = Document(
        f"{sender.name} - {sender.street}, {sender.city_line} - {sender.vat_number}",
        language,
        compress=compress,
    )
    pdf.stamp(title, sender.name, date)
    pdf.add_page()
    pdf.set_text_color(*ACCENT)
    pdf.text_line(sender.name, size=15, style="B", height=7)
    pdf.set_text_color(*INK)
    for text in (sender.street, sender.city_line, f"{sender.phone} - {sender.email}"):
        pdf.text_line(text, size=8.5, height=4)
    party_block(pdf, recipient, 110, 50, 80)
    pdf.set_xy(pdf.l_margin, 82)
    pdf.text_line(f"{sender.city}, {long_date(date, language)}", size=9.5)
    pdf.ln(4)
    return pdf


def _body(
    pdf: Document, subject: str, paragraphs: list[str], signature: str, language: Language
) -> None:
    pdf.text_line(subject, size=10.5, style="B", height=6)
    pdf.ln(3)
    pdf.paragraph({"nl": "Geachte mevrouw, geachte heer,", "fr": "Madame, Monsieur,"}[language])
    pdf.ln(2)
    for text in paragraphs:
        pdf.paragraph(text)
        pdf.ln(2)
    pdf.paragraph(
        {
            "nl": "Met vriendelijke groeten,",
            "fr": "Veuillez agréer, Madame, Monsieur, nos salutations distinguées.",
        }[language]
    )
    pdf.ln(10)
    pdf.text_line(signature, size=9.5, style="B")


_LAW: dict[Language, dict[str, str]] = {
    "nl": {"BE": "Belgisch", "NL": "Nederlands", "FR": "Frans", "LU": "Luxemburgs"},
    "fr": {"BE": "belge", "NL": "néerlandais", "FR": "français", "LU": "luxembourgeois"},
}


def _annex(pdf: Document, count: int, client: Party, rng: random.Random) -> None:
    if count <= 0:
        return
    language = client.language
    law = _LAW[language].get(client.country, _LAW[language]["BE"])
    pdf.add_page()
    pdf.text_line(
        {"nl": "ALGEMENE VOORWAARDEN", "fr": "CONDITIONS GÉNÉRALES"}[language],
        size=12,
        style="B",
        height=8,
    )
    pdf.ln(2)
    clauses = _CLAUSES[language]
    word = {"nl": "Artikel", "fr": "Article"}[language]
    for number in range(1, count + 1):
        pdf.text_line(f"{word} {number}", size=9.5, style="B", height=5.5)
        chosen = rng.sample(clauses, rng.randint(2, 5))
        pdf.paragraph(" ".join(chosen).format(law=law), size=8.5, height=4.2)
        pdf.ln(1.5)


def _lease(
    client: Party, rng: random.Random, date: datetime.date, annex: int, compress: bool
) -> Letter:
    lang = client.language
    landlord = random_party(client.country, rng, language=lang, sector="services")
    owner = person_name(client.country, lang, rng)
    rent = cents(Decimal(rng.randint(90, 450)) * 10)
    start = date.replace(day=1)
    number = f"CTR-{date.year}-{rng.randint(1, 9999):04d}"
    if lang == "nl":
        title = "HANDELSHUUROVEREENKOMST"
        articles = [
            (
                "Voorwerp",
                f"De verhuurder verhuurt aan de huurder het handelspand gelegen "
                f"{landlord.street}, {landlord.city_line}, bestaande uit een winkelruimte, een "
                f"bureel en een magazijn van samen {rng.randint(80, 600)} m².",
            ),
            (
                "Duur",
                f"De huur wordt toegestaan voor negen opeenvolgende jaren, die aanvangen op "
                f"{long_date(start, lang)}. De huurder kan de huur beëindigen bij het einde van "
                "elke driejarige periode met een opzegging van zes maanden.",
            ),
            (
                "Huurprijs",
                f"De maandelijkse huurprijs bedraagt {money(rent, lang)} EUR, "
                f"vooraf betaalbaar vóór de vijfde van elke maand op rekening "
                f"{landlord.iban}.",
            ),
            (
                "Indexering",
                "De huurprijs wordt jaarlijks op de verjaardag van de inwerkingtreding "
                "aangepast aan de gezondheidsindex.",
            ),
            (
                "Waarborg",
                f"De huurder stelt een huurwaarborg van {money(rent * 3, lang)} EUR, "
                "gelijk aan drie maanden huur, op een geblokkeerde rekening.",
            ),
            (
                "Lasten",
                "Het verbruik van water, gas en elektriciteit en de onroerende "
                "voorheffing zijn ten laste van de huurder.",
            ),
            (
                "Bestemming",
                "Het goed wordt verhuurd voor de uitoefening van de activiteiten van "
                f"{client.name} en mag niet voor andere doeleinden worden gebruikt.",
            ),
        ]
        parties = (
            f"Tussen {owner}, voor {landlord.name}, hierna de verhuurder, en "
            f"{client.name}, met zetel te {client.street}, {client.city_line}, "
            f"ondernemingsnummer {client.vat_number}, hierna de huurder, is "
            "overeengekomen wat volgt."
        )
        signed = f"Opgemaakt in twee exemplaren te {landlord.city} op {long_date(date, lang)}."
        signatures = ("De verhuurder", "De huurder")
    else:
        title = "BAIL COMMERCIAL"
        articles = [
            (
                "Objet",
                f"Le bailleur donne en location au preneur le bien commercial situé "
                f"{landlord.street}, {landlord.city_line}, comprenant une surface commerciale, un "
                f"bureau et un entrepôt d'une superficie totale de {rng.randint(80, 600)} m².",
            ),
            (
                "Durée",
                f"Le bail est consenti pour neuf années consécutives prenant cours le "
                f"{long_date(start, lang)}. Le preneur peut y mettre fin à l'expiration de chaque "
                "triennat moyennant un préavis de six mois.",
            ),
            (
                "Loyer",
                f"Le loyer mensuel s'élève à {money(rent, lang)} EUR, payable "
                f"anticipativement avant le cinq de chaque mois sur le compte {landlord.iban}.",
            ),
            (
                "Indexation",
                "Le loyer est adapté chaque année à la date anniversaire de l'entrée "
                "en vigueur en fonction de l'indice santé.",
            ),
            (
                "Garantie",
                f"Le preneur constitue une garantie locative de {money(rent * 3, lang)} "
                "EUR, soit trois mois de loyer, sur un compte bloqué.",
            ),
            (
                "Charges",
                "Les consommations d'eau, de gaz et d'électricité ainsi que le "
                "précompte immobilier sont à charge du preneur.",
            ),
            (
                "Destination",
                f"Le bien est loué pour l'exercice des activités de {client.name} "
                "et ne peut être affecté à un autre usage.",
            ),
        ]
        parties = (
            f"Entre {owner}, pour {landlord.name}, ci-après le bailleur, et "
            f"{client.name}, dont le siège est établi {client.street}, "
            f"{client.city_line}, numéro d'entreprise {client.vat_number}, ci-après le "
            "preneur, il est convenu ce qui suit."
        )
        signed = f"Fait en deux exemplaires à {landlord.city} le {long_date(date, lang)}."
        signatures = ("Le bailleur", "Le preneur")
    pdf = Document(f"{title} {number}", lang, compress=compress)
    pdf.stamp(f"{title} {number}", landlord.name, date)
    pdf.add_page()
    pdf.set_text_color(*ACCENT)
    pdf.text_line(title, size=16, style="B", height=9, align="C")
    pdf.set_text_color(*INK)
    pdf.text_line(number, size=9, align="C")
    pdf.ln(4)
    pdf.paragraph(parties)
    pdf.ln(2)
    word = {"nl": "Artikel", "fr": "Article"}[lang]
    for index, (heading, text) in enumerate(articles, start=1):
        pdf.text_line(f"{word} {index} - {heading}", size=9.5, style="B", height=6)
        pdf.paragraph(text)
        pdf.ln(1.5)
    pdf.ln(3)
    pdf.paragraph(signed)
    pdf.ln(8)
    y = pdf.get_y()
    pdf.text_line(signatures[0], size=9.5, style="B", width=87)
    pdf.text_line(owner, size=9)
    pdf.set_xy(105, y)
    pdf.text_line(signatures[1], size=9.5, style="B")
    pdf.set_x(105)
    pdf.text_line(person_name(client.country, lang, rng), size=9)
    _annex(pdf, annex, client, rng)
    return Letter("contract", number, rent, landlord.name, pdf.output_bytes())


def _insurance(
    client: Party, rng: random.Random, date: datetime.date, annex: int, compress: bool
) -> Letter:
    lang = client.language
    word = {"nl": "Verzekeringen", "fr": "Assurances"}[lang]
    insurer = trading_as(word, client.country, lang, rng)
    policy = f"{rng.randint(10, 99)}.{rng.randint(100_000, 999_999)}"
    premium = cents(Decimal(rng.randint(30_000, 450_000)) / 100)
    tax_rate = {"BE": Decimal("9.25"), "FR": Decimal("9"), "LU": Decimal("4")}.get(
        client.country, Decimal("21")
    )
    tax = cents(premium * tax_rate / 100)
    total = premium + tax
    due = date + datetime.timedelta(days=30)
    reference = (
        identifiers.structured_reference(rng)
        if client.country == "BE"
        else identifiers.creditor_reference(rng)
    )
    cover = rng.choice(
        {
            "nl": (
                "Brand en aanverwante gevaren",
                "Burgerlijke aansprakelijkheid uitbating",
                "Arbeidsongevallen",
                "Vloot bedrijfsvoertuigen",
            ),
            "fr": (
                "Incendie et périls connexes",
                "Responsabilité civile exploitation",
                "Accidents du travail",
                "Flotte de véhicules",
            ),
        }[lang]
    )
    if lang == "nl":
        subject = f"Vervaldagbericht - polis {policy}"
        paragraphs = [
            f"Uw polis {policy} ({cover}) komt op {long_date(due, lang)} tot jaarlijkse "
            "vervaldag. Wij danken u voor uw vertrouwen en vragen u de premie voor de nieuwe "
            "periode te betalen.",
            f"Nettopremie: {money(premium, lang)} EUR. Taksen en bijdragen "
            f"({str(tax_rate).replace('.', ',')} %): {money(tax, lang)} EUR. "
            f"Totaal te betalen: {money(total, lang)} EUR.",
            f"Gelieve dit bedrag vóór {day(due)} over te schrijven op rekening {insurer.iban} met "
            f"de mededeling {reference}. Zonder betaling wordt de dekking geschorst "
            "overeenkomstig de wet op de verzekeringen.",
        ]
    else:
        subject = f"Avis d'échéance - police {policy}"
        paragraphs = [
            f"Votre police {policy} ({cover}) arrive à son échéance annuelle le "
            f"{long_date(due, lang)}. Nous vous remercions de votre confiance et vous prions de "
            "régler la prime de la nouvelle période.",
            f"Prime nette : {money(premium, lang)} EUR. Taxes et contributions "
            f"({str(tax_rate).replace('.', ',')} %) : {money(tax, lang)} EUR. "
            f"Total à payer : {money(total, lang)} EUR.",
            f"Merci de virer ce montant avant le {day(due)} sur le compte {insurer.iban} avec la "
            f"communication {reference}. À défaut de paiement, la garantie sera suspendue "
            "conformément à la loi sur les assurances.",
        ]
    pdf = _start(insurer, client, date, lang, compress, subject)
    _body(pdf, subject, paragraphs, insurer.name, lang)
    _annex(pdf, annex, client, rng)
    return Letter("insurance", policy.replace(".", "-"), total, insurer.name, pdf.output_bytes())


def _price_notice(
    client: Party, rng: random.Random, date: datetime.date, annex: int, compress: bool
) -> Letter:
    lang = client.language
    supplier = random_party(client.country, rng, language=lang)
    percent = Decimal(rng.randint(15, 65)) / 10
    start = (date.replace(day=1) + datetime.timedelta(days=40)).replace(day=1)
    number = f"LTR-{date.year}-{rng.randint(1, 99_999):05d}"
    rate = f"{percent}".replace(".", ",")
    if lang == "nl":
        subject = f"Aanpassing van onze tarieven vanaf {long_date(start, lang)}"
        paragraphs = [
            "De kosten van grondstoffen, energie en transport zijn het voorbije jaar opnieuw "
            "gestegen. Ondanks onze inspanningen om die stijging op te vangen, zijn wij "
            "genoodzaakt onze prijzen aan te passen.",
            f"Vanaf {long_date(start, lang)} worden onze tarieven met gemiddeld {rate} % "
            "verhoogd. Lopende bestellingen worden nog aan de huidige prijzen uitgevoerd.",
            "Onze nieuwe prijslijst is beschikbaar op aanvraag. Voor vragen staat uw vaste "
            f"contactpersoon klaar op {supplier.phone}.",
        ]
    else:
        subject = f"Adaptation de nos tarifs au {long_date(start, lang)}"
        paragraphs = [
            "Le coût des matières premières, de l'énergie et du transport a de nouveau "
            "augmenté au cours de l'année écoulée. Malgré nos efforts pour absorber cette "
            "hausse, nous sommes contraints d'adapter nos prix.",
            f"À partir du {long_date(start, lang)}, nos tarifs augmenteront en moyenne de "
            f"{rate} %. Les commandes en cours seront encore exécutées aux prix actuels.",
            "Notre nouvelle liste de prix est disponible sur demande. Votre interlocuteur "
            f"habituel reste à votre disposition au {supplier.phone}.",
        ]
    pdf = _start(supplier, client, date, lang, compress, subject)
    _body(pdf, subject, paragraphs, person_name(client.country, lang, rng), lang)
    _annex(pdf, annex, client, rng)
    return Letter("letter", number, Decimal("0.00"), supplier.name, pdf.output_bytes())


def _reminder(
    client: Party, rng: random.Random, date: datetime.date, annex: int, compress: bool
) -> Letter:
    lang = client.language
    supplier = random_party(client.country, rng, language=lang)
    invoice = f"INV-{date.year}-{rng.randint(1, 99_999):05d}"
    invoiced = date - datetime.timedelta(days=rng.randint(35, 90))
    amount = cents(Decimal(rng.randint(8_000, 750_000)) / 100)
    number = f"REM-{date.year}-{rng.randint(1, 99_999):05d}"
    if lang == "nl":
        subject = f"Herinnering - openstaande factuur {invoice}"
        paragraphs = [
            f"Bij nazicht van onze boekhouding stellen wij vast dat onze factuur {invoice} van "
            f"{long_date(invoiced, lang)} ten bedrage van {money(amount, lang)} EUR nog niet "
            "werd betaald.",
            f"Wellicht gaat het om een vergetelheid. Wij verzoeken u dit bedrag binnen acht "
            f"dagen over te schrijven op rekening {supplier.iban}.",
            "Indien uw betaling deze brief heeft gekruist, mag u deze herinnering als "
            "onbestaande beschouwen.",
        ]
    else:
        subject = f"Rappel - facture impayée {invoice}"
        paragraphs = [
            f"Sauf erreur de notre part, notre facture {invoice} du "
            f"{long_date(invoiced, lang)} d'un montant de {money(amount, lang)} EUR reste "
            "impayée à ce jour.",
            "Il s'agit probablement d'un oubli. Nous vous prions de virer ce montant dans les "
            f"huit jours sur le compte {supplier.iban}.",
            "Si votre paiement a croisé ce courrier, nous vous prions de ne pas tenir compte "
            "du présent rappel.",
        ]
    pdf = _start(supplier, client, date, lang, compress, subject)
    _body(pdf, subject, paragraphs, person_name(client.country, lang, rng), lang)
    _annex(pdf, annex, client, rng)
    return Letter("reminder", number, amount, supplier.name, pdf.output_bytes())
