"""Belgian CODA 2 bank statements: writing them, and checking any CODA file's structure.

Layout per the Febelfin standard "Coded statement of account (CODA)", version 2: fixed records
of 128 characters; record 0 (header), 1 (old balance), 2.1/2.2/2.3 (a movement and its
continuations), 3.1/3.2/3.3 (information about a movement), 8 (new balance), 4 (free
communication) and 9 (trailer). The trailer counts the records 1, 2.x, 3.x and 8 (not 0, 4 or 9)
and totals the debit and credit amounts of the type 2.1 records with detail number 0000, so that
globalised movements and their details are not counted twice. Amounts have 15 digits of which
3 decimals; a sign digit before them is 0 for credit and 1 for debit.
"""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass
from decimal import Decimal

from app.sandbox.content import identifiers
from app.sandbox.content.clients import Party, locale_of, person_name, random_party, to_ascii
from app.sandbox.content.invoices import cents
from app.sandbox.content.locales import Bank, Language

RECORD_LENGTH = 128

# Transaction codes: type (1), family (2), transaction (2), category (3).
CREDIT_TRANSFER_IN = "00150000"
CREDIT_TRANSFER_OUT = "00101000"
STANDING_ORDER = "00103000"
WAGES = "00105000"
DIRECT_DEBIT = "00501000"
CARD_PAYMENT = "00402000"
ACCOUNT_FEE = "08027000"


@dataclass(frozen=True)
class Movement:
    """One booked movement; ``amount`` is positive for a credit and negative for a debit."""

    amount: Decimal
    value_date: datetime.date
    code: str
    communication: str
    structured: str | None = None  # 12 digits of a Belgian structured reference
    counterparty_name: str | None = None
    counterparty_iban: str | None = None
    counterparty_bic: str | None = None
    counterparty_street: str | None = None
    counterparty_city: str | None = None
    bank_reference: str = ""


@dataclass(frozen=True)
class Statement:
    """One daily statement of one account."""

    holder: Party
    bank: Bank
    date: datetime.date
    sequence: int
    old_balance: Decimal
    movements: tuple[Movement, ...]
    notice: str | None = None  # a free communication (record 4) from the bank

    @property
    def new_balance(self) -> Decimal:
        return self.old_balance + sum((m.amount for m in self.movements), Decimal("0"))

    @property
    def number(self) -> str:
        return f"{self.date.year}/{self.sequence:03d}"

    @property
    def file_name(self) -> str:
        return f"CODA_{self.holder.iban}_{self.date.isoformat()}_{self.sequence:03d}.cod"


def _an(text: str, width: int) -> str:
    return to_ascii(text)[:width].ljust(width)


def _digits(value: int, width: int) -> str:
    text = f"{value:0{width}d}"
    if len(text) != width:
        raise ValueError(f"{value} does not fit in {width} digits")
    return text


def _amount(value: Decimal) -> str:
    return _digits(int(abs(value) * 1000), 15)


def _sign(value: Decimal) -> str:
    return "1" if value < 0 else "0"


def _date(value: datetime.date) -> str:
    return value.strftime("%d%m%y")


def _account(iban: str, currency: str = "EUR") -> str:
    """The 37-character account-and-currency zone of records 1 and 8."""
    if iban.startswith("BE"):
        return iban.ljust(31) + "   " + currency
    return iban.ljust(34) + currency


def _record(*parts: str) -> str:
    line = "".join(parts)
    if len(line) != RECORD_LENGTH:  # pragma: no cover - a layout bug, caught by the tests
        raise AssertionError(f"record of {len(line)} characters: {line!r}")
    return line


_WORDS: dict[Language, dict[str, str]] = {
    "nl": {
        "account": "Zichtrekening",
        "card": "BETALING MET DEBETKAART NR {card} {when} {shop} {city}",
        "fee": "MAANDELIJKSE BIJDRAGE BUSINESSPAKKET",
        "wages": "LOON {period}",
        "debit": "EUROPESE DOMICILIERING {ref}",
        "rent": "HUUR {period}",
        "notice": "UW REKENINGUITTREKSELS ZIJN OOK BESCHIKBAAR IN UW ONLINE BANKIEREN.",
    },
    "fr": {
        "account": "Compte à vue",
        "card": "PAIEMENT CARTE DE DEBIT N {card} {when} {shop} {city}",
        "fee": "REDEVANCE MENSUELLE PACK BUSINESS",
        "wages": "SALAIRE {period}",
        "debit": "DOMICILIATION EUROPEENNE {ref}",
        "rent": "LOYER {period}",
        "notice": "VOS EXTRAITS DE COMPTE SONT AUSSI DISPONIBLES DANS VOTRE BANQUE EN LIGNE.",
    },
}


def make_statement(
    holder: Party, rng: random.Random, date: datetime.date, movement_count: int | None = None
) -> Statement:
    """A day's statement of ``holder``'s account with plausible business movements."""
    if movement_count is None:
        movement_count = rng.randint(3, 12)
    bank = holder.bank or locale_of(holder.country).banks[0]
    words = _WORDS[holder.language]
    balance = cents(Decimal(rng.randint(150_000, 6_000_000)) / 100)
    old_balance = balance
    movements = []
    period = date.strftime("%m/%Y")
    for _ in range(movement_count):
        value_date = date - datetime.timedelta(days=rng.choice((0, 0, 0, 1, 2)))
        kind = rng.random()
        partner = random_party(holder.country, rng, language=holder.language)
        reference = identifiers.bank_reference(rng)
        structured = None
        if holder.country == "BE" and rng.random() < 0.6:
            structured = identifiers.structured_reference(rng).strip("+").replace("/", "")
        if kind < 0.35:
            amount = cents(Decimal(rng.randint(20_000, 900_000)) / 100)
            movement = Movement(
                amount,
                value_date,
                CREDIT_TRANSFER_IN,
                f"INV-{date.year}-{rng.randint(1, 99_999):05d}",
                structured,
                partner.name,
                partner.iban,
                partner.bank.bic if partner.bank else None,
                partner.street,
                partner.city_line,
                reference,
            )
        elif kind < 0.65:
            amount = -cents(Decimal(rng.randint(5_000, 600_000)) / 100)
            movement = Movement(
                amount,
                value_date,
                CREDIT_TRANSFER_OUT,
                f"{rng.choice(('FACT', 'F', 'INV'))} {rng.randint(1000, 999_999)}",
                structured,
                partner.name,
                partner.iban,
                partner.bank.bic if partner.bank else None,
                partner.street,
                partner.city_line,
                reference,
            )
        elif kind < 0.8:
            amount = -cents(Decimal(rng.randint(500, 25_000)) / 100)
            card = f"{rng.randint(4000, 6999)} XXXX XXXX {rng.randint(1000, 9999)}"
            text = words["card"].format(
                card=card,
                when=f"{value_date:%d/%m} {_clock(rng)}",
                shop=partner.name,
                city=partner.city,
            )
            movement = Movement(
                amount, value_date, CARD_PAYMENT, text, None, bank_reference=reference
            )
        elif kind < 0.9:
            amount = -cents(Decimal(rng.randint(3_000, 120_000)) / 100)
            mandate = f"{rng.randint(10**9, 10**10 - 1)}"
            movement = Movement(
                amount,
                value_date,
                DIRECT_DEBIT,
                words["debit"].format(ref=mandate),
                None,
                partner.name,
                partner.iban,
                partner.bank.bic if partner.bank else None,
                None,
                None,
                reference,
            )
        elif kind < 0.95:
            amount = -cents(Decimal(rng.randint(80_000, 450_000)) / 100)
            code, text = rng.choice(((WAGES, words["wages"]), (STANDING_ORDER, words["rent"])))
            name = partner.name
            if code == WAGES:  # wages go to an employee, not to a company
                name = person_name(holder.country, holder.language, rng)
            movement = Movement(
                amount,
                value_date,
                code,
                text.format(period=period),
                None,
                name,
                partner.iban,
                partner.bank.bic if partner.bank else None,
                None,
                None,
                reference,
            )
        else:
            amount = -cents(Decimal(rng.randint(500, 3_500)) / 100)
            movement = Movement(
                amount, date, ACCOUNT_FEE, words["fee"], None, bank_reference=reference
            )
        if balance + movement.amount < 0:  # a business account here is never overdrawn
            movement = _as_credit(movement)
        balance += movement.amount
        movements.append(movement)
    return Statement(
        holder=holder,
        bank=bank,
        date=date,
        sequence=date.timetuple().tm_yday,
        old_balance=old_balance,
        movements=tuple(movements),
        notice=words["notice"] if rng.random() < 0.2 else None,
    )


def _clock(rng: random.Random) -> str:
    return f"{rng.randint(7, 20):02d}:{rng.randint(0, 59):02d}"


def _as_credit(movement: Movement) -> Movement:
    return Movement(
        -movement.amount,
        movement.value_date,
        CREDIT_TRANSFER_IN,
        movement.communication,
        movement.structured,
        movement.counterparty_name,
        movement.counterparty_iban,
        movement.counterparty_bic,
        movement.counterparty_street,
        movement.counterparty_city,
        movement.bank_reference,
    )


def render_coda(statement: Statement) -> bytes:
    """The statement as a CODA file (ASCII, CRLF line ends as the banks deliver them).

    Each record is written field by field; the comments give the 1-based positions of the
    Febelfin layout, and every record is checked to be exactly 128 characters long.
    """
    holder = statement.holder
    words = _WORDS[holder.language]
    bank = statement.bank
    paper = _digits(statement.sequence % 1000, 3)
    bank_id = bank.code if bank.code.isdigit() and len(bank.code) == 3 else "000"
    belgian_company = holder.country == "BE" and holder.legal_id.isdigit()
    company = "0" + holder.legal_id if belgian_company else "0" * 11
    account = _account(holder.iban)
    previous_day = statement.date - datetime.timedelta(
        days=3 if statement.date.weekday() == 0 else 1
    )
    records: list[str] = []
    add = records.append
    add(
        _record(
            "0",  # 1 record identification: header
            "0000",  # 2-5 zeros
            _date(statement.date),  # 6-11 creation date
            bank_id,  # 12-14 bank identification number
            "05",  # 15-16 application code
            " ",  # 17 duplicate code (blank: original)
            " " * 7,  # 18-24 blank
            _an(f"{statement.sequence:010d}", 10),  # 25-34 file reference
            _an(holder.name.upper(), 26),  # 35-60 name of the addressee
            _an(bank.bic, 11),  # 61-71 BIC of the bank
            _an(company, 11),  # 72-82 company number of the account holder
            " ",  # 83 blank
            "00000",  # 84-88 code of separate application
            " " * 16,  # 89-104 transaction reference
            " " * 16,  # 105-120 related reference
            " " * 7,  # 121-127 blank
            "2",  # 128 version code
        )
    )
    add(
        _record(
            "1",  # 1 record identification: old balance
            "2" if holder.iban.startswith("BE") else "3",  # 2 account structure: (foreign) IBAN
            paper,  # 3-5 paper statement number
            account,  # 6-42 account number and currency
            _sign(statement.old_balance),  # 43 sign (0 credit, 1 debit)
            _amount(statement.old_balance),  # 44-58 old balance
            _date(previous_day),  # 59-64 date of the old balance
            _an(holder.name, 26),  # 65-90 account holder
            _an(words["account"], 35),  # 91-125 account description
            paper,  # 126-128 CODA statement sequence number
        )
    )
    debit = credit = Decimal("0")
    for index, movement in enumerate(statement.movements, start=1):
        seq = _digits(index, 4)
        if movement.amount < 0:
            debit -= movement.amount
        else:
            credit += movement.amount
        if movement.structured is not None:
            comm_type, comm, more = "1", "101" + movement.structured, ""
        else:
            # Free text longer than its 53 positions continues in record 2.2.
            text = to_ascii(movement.communication).upper()
            comm_type, comm, more = "0", text[:53], text[53:106]
        has_22 = movement.counterparty_bic is not None or bool(more)
        has_23 = movement.counterparty_iban is not None or movement.counterparty_name is not None
        has_3 = movement.counterparty_street is not None
        add(
            _record(
                "21",  # 1-2 record identification: movement, part 1
                seq,  # 3-6 continuous sequence number
                "0000",  # 7-10 detail number
                _an(movement.bank_reference, 21),  # 11-31 bank reference
                _sign(movement.amount),  # 32 sign
                _amount(movement.amount),  # 33-47 amount
                _date(movement.value_date),  # 48-53 value date
                movement.code,  # 54-61 transaction code
                comm_type,  # 62 communication type (1 structured)
                _an(comm, 53),  # 63-115 communication
                _date(statement.date),  # 116-121 entry date
                paper,  # 122-124 paper statement number
                "0",  # 125 globalisation code
                "1" if has_22 or has_23 else "0",  # 126 next code: a 2.x follows
                " ",  # 127 blank
                "1" if has_3 and not (has_22 or has_23) else "0",  # 128 link code: 3.x follows
            )
        )
        if has_22:
            add(
                _record(
                    "22",  # 1-2 record identification: movement, part 2
                    seq,  # 3-6 sequence number
                    "0000",  # 7-10 detail number
                    _an(more, 53),  # 11-63 communication (continued)
                    " " * 35,  # 64-98 customer reference
                    _an(movement.counterparty_bic or "", 11),  # 99-109 counterparty's BIC
                    " " * 3,  # 110-112 blank
                    " ",  # 113 type of R-transaction
                    " " * 4,  # 114-117 ISO reason return code
                    " " * 4,  # 118-121 category purpose
                    " " * 4,  # 122-125 purpose
                    "1" if has_23 else "0",  # 126 next code
                    " ",  # 127 blank
                    "1" if has_3 and not has_23 else "0",  # 128 link code
                )
            )
        if has_23:
            add(
                _record(
                    "23",  # 1-2 record identification: movement, part 3
                    seq,  # 3-6 sequence number
                    "0000",  # 7-10 detail number
                    _an(movement.counterparty_iban or "", 34),  # 11-44 counterparty's account
                    "EUR",  # 45-47 its currency
                    _an((movement.counterparty_name or "").upper(), 35),  # 48-82 its name
                    " " * 43,  # 83-125 communication (continued)
                    "0",  # 126 next code
                    " ",  # 127 blank
                    "1" if has_3 else "0",  # 128 link code
                )
            )
        if has_3:
            add(
                _record(
                    "31",  # 1-2 record identification: information, part 1
                    seq,  # 3-6 sequence number of the movement
                    "0001",  # 7-10 detail number
                    _an(movement.bank_reference, 21),  # 11-31 bank reference
                    movement.code,  # 32-39 transaction code
                    "1",  # 40 structured communication
                    "001",  # 41-43 type 001: name and address of the counterparty
                    _an((movement.counterparty_name or "").upper(), 70),  # 44-113 name
                    " " * 12,  # 114-125 blank
                    "1",  # 126 next code: a 3.2 follows
                    " ",  # 127 blank
                    "0",  # 128 link code
                )
            )
            add(
                _record(
                    "32",  # 1-2 record identification: information, part 2
                    seq,  # 3-6 sequence number
                    "0001",  # 7-10 detail number
                    _an((movement.counterparty_street or "").upper(), 35),  # 11-45 street
                    _an((movement.counterparty_city or "").upper(), 35),  # 46-80 locality
                    " " * 35,  # 81-115 identification code
                    " " * 10,  # 116-125 blank
                    "0",  # 126 next code
                    " ",  # 127 blank
                    "0",  # 128 link code
                )
            )
    add(
        _record(
            "8",  # 1 record identification: new balance
            paper,  # 2-4 paper statement number
            account,  # 5-41 account number and currency
            _sign(statement.new_balance),  # 42 sign
            _amount(statement.new_balance),  # 43-57 new balance
            _date(statement.date),  # 58-63 date of the new balance
            " " * 64,  # 64-127 blank
            "1" if statement.notice else "0",  # 128 link code: a record 4 follows
        )
    )
    if statement.notice:
        add(
            _record(
                "4",  # 1 record identification: free communication
                " ",  # 2 blank
                "0001",  # 3-6 sequence number
                "0000",  # 7-10 detail number
                " " * 22,  # 11-32 blank
                _an(statement.notice, 80),  # 33-112 free communication
                " " * 15,  # 113-127 blank
                "0",  # 128 link code
            )
        )
    counted = sum(1 for line in records if line[0] in "1238")
    add(
        _record(
            "9",  # 1 record identification: trailer
            " " * 15,  # 2-16 blank
            _digits(counted, 6),  # 17-22 number of records 1, 2.x, 3.x and 8
            _amount(debit),  # 23-37 sum of the debit movements
            _amount(credit),  # 38-52 sum of the credit movements
            " " * 75,  # 53-127 blank
            "2",  # 128 multiple file code: 2 = last file
        )
    )
    return ("\r\n".join(records) + "\r\n").encode("ascii")


# --- checking -----------------------------------------------------------------------------


@dataclass
class _Open:
    """What the checker knows about the statement it is inside."""

    start_line: int
    account: str
    old_balance: Decimal | None
    counted: int = 0
    debit: Decimal = Decimal("0")
    credit: Decimal = Decimal("0")
    new_balance: Decimal | None = None
    closed: bool = False


def _read_amount(sign: str, digits: str) -> Decimal | None:
    if not digits.isdigit() or sign not in "01":
        return None
    value = Decimal(int(digits)) / 1000
    return -value if sign == "1" else value


def _valid_date(text: str) -> bool:
    try:
        datetime.datetime.strptime(text, "%d%m%y")
    except ValueError:
        return False
    return True


def check_coda(content: bytes, *, consistency: bool = True) -> list[str]:
    """Structural problems of a CODA file; an empty list means it is well formed.

    Always checked: every line is 128 characters (CRLF or LF line ends), records come in the
    order the standard allows (0, 1, 2.1 [2.2] [2.3] [3.x...], ..., 8, [4...], 9, possibly
    repeated for several statements), continuation records belong to the movement before them,
    the version code is 2, and amounts and dates are numeric. With ``consistency`` (the default)
    also: the record 9 count and debit/credit totals, old balance + credits - debits = new
    balance, and the same account in records 1 and 8. Real bank files in the wild are sometimes
    hand-edited and fail only these; pass ``consistency=False`` to accept them.
    """
    problems: list[str] = []
    text = content.decode("latin-1")
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    lines = [line[:-1] if line.endswith("\r") else line for line in lines]
    if not lines:
        return ["the file is empty"]
    for number, line in enumerate(lines, start=1):
        if len(line) != RECORD_LENGTH:
            problems.append(f"line {number}: {len(line)} characters instead of {RECORD_LENGTH}")

    current: _Open | None = None
    previous = ""  # record type of the previous line: "0", "1", "21", ... "8", "4", "9"
    movement_key = ""  # sequence + detail number of the current 2.1 record
    movement_seq = ""
    for number, raw in enumerate(lines, start=1):
        line = raw.ljust(RECORD_LENGTH)
        kind = line[0] if line[0] in "01489" else line[:2]
        where = f"line {number} (record {kind[0]}{'.' + kind[1] if len(kind) == 2 else ''})"
        if kind == "0":
            if current is not None and not current.closed:
                problems.append(
                    f"{where}: new header before the trailer of the statement at line "
                    f"{current.start_line}"
                )
            if line[127] != "2":
                problems.append(f"{where}: version code {line[127]!r}, expected '2' (CODA 2.x)")
            if not _valid_date(line[5:11]):
                problems.append(f"{where}: creation date {line[5:11]!r} is not DDMMYY")
            current = _Open(start_line=number, account="", old_balance=None)
        elif current is None or current.closed:
            problems.append(f"{where}: record outside a statement (expected header record 0)")
            continue
        elif kind == "1":
            if previous != "0":
                problems.append(f"{where}: old balance must follow the header")
            if line[1] not in "0123":
                problems.append(f"{where}: account structure {line[1]!r} is not 0-3")
            current.account = line[5:42]
            current.old_balance = _read_amount(line[42], line[43:58])
            current.counted += 1
            if current.old_balance is None:
                problems.append(f"{where}: old balance {line[42:58]!r} is not a signed amount")
            if not _valid_date(line[58:64]):
                problems.append(f"{where}: old balance date {line[58:64]!r} is not DDMMYY")
        elif kind == "21":
            if previous in ("0", "8", "9"):
                problems.append(f"{where}: movement outside the movements of a statement")
            current.counted += 1
            movement_key, movement_seq = line[2:10], line[2:6]
            if not movement_key.isdigit():
                problems.append(f"{where}: sequence/detail number {movement_key!r} is not numeric")
            amount = _read_amount(line[31], line[32:47])
            if amount is None:
                problems.append(f"{where}: amount {line[31:47]!r} is not a signed amount")
            elif line[6:10] == "0000":
                if amount < 0:
                    current.debit -= amount
                else:
                    current.credit += amount
            for label, value in (("value date", line[47:53]), ("entry date", line[115:121])):
                if not _valid_date(value):
                    problems.append(f"{where}: {label} {value!r} is not DDMMYY")
        elif kind in ("22", "23"):
            allowed: tuple[str, ...] = ("21",) if kind == "22" else ("21", "22")
            current.counted += 1
            if previous not in allowed:
                problems.append(f"{where}: must follow record {' or '.join(allowed)}")
            elif line[2:10] != movement_key:
                problems.append(
                    f"{where}: sequence {line[2:10]!r} differs from its movement's {movement_key!r}"
                )
        elif kind in ("31", "32", "33"):
            current.counted += 1
            allowed = {
                "31": ("21", "22", "23", "31", "32", "33"),
                "32": ("31",),
                "33": ("31", "32"),
            }[kind]
            if previous not in allowed:
                problems.append(f"{where}: must follow record {' or '.join(allowed)}")
            elif line[2:6] != movement_seq:
                problems.append(
                    f"{where}: sequence {line[2:6]!r} differs from its movement's {movement_seq!r}"
                )
        elif kind == "8":
            if previous not in ("1", "21", "22", "23", "31", "32", "33", "4"):
                problems.append(f"{where}: new balance must follow the movements")
            current.counted += 1
            current.new_balance = _read_amount(line[41], line[42:57])
            if current.new_balance is None:
                problems.append(f"{where}: new balance {line[41:57]!r} is not a signed amount")
            if not _valid_date(line[57:63]):
                problems.append(f"{where}: new balance date {line[57:63]!r} is not DDMMYY")
            if consistency and line[4:41] != current.account:
                problems.append(
                    f"{where}: account {line[4:41].strip()!r} differs from record 1's "
                    f"{current.account.strip()!r}"
                )
        elif kind == "4":
            if previous not in ("1", "21", "22", "23", "31", "32", "33", "8", "4"):
                problems.append(f"{where}: free communication out of place")
        elif kind == "9":
            if previous not in ("8", "4"):
                problems.append(f"{where}: trailer must follow the new balance (record 8)")
            current.closed = True
            if consistency:
                problems.extend(_check_trailer(where, line, current))
        else:
            problems.append(f"{where}: unknown record type {line[:2]!r}")
            continue
        previous = kind
    if current is not None and not current.closed:
        problems.append(
            f"the statement starting at line {current.start_line} has no trailer (record 9)"
        )
    if lines[0][:1] != "0":
        problems.append("the first record is not a header (record 0)")
    return problems


def _check_trailer(where: str, line: str, statement: _Open) -> list[str]:
    problems = []
    count, debit, credit = line[16:22], line[22:37], line[37:52]
    if not (count.isdigit() and debit.isdigit() and credit.isdigit()):
        return [f"{where}: count or totals are not numeric"]
    if int(count) != statement.counted:
        problems.append(
            f"{where}: counts {int(count)} records, the statement has "
            f"{statement.counted} records 1, 2, 3 and 8"
        )
    for label, written, actual in (
        ("debit", debit, statement.debit),
        ("credit", credit, statement.credit),
    ):
        if Decimal(int(written)) / 1000 != actual:
            problems.append(
                f"{where}: {label} total {Decimal(int(written)) / 1000} differs from "
                f"the movements' {actual}"
            )
    old, new = statement.old_balance, statement.new_balance
    if old is not None and new is not None and old + statement.credit - statement.debit != new:
        problems.append(
            f"{where}: old balance {old} + credits {statement.credit} - debits "
            f"{statement.debit} = {old + statement.credit - statement.debit}, not the new "
            f"balance {new}"
        )
    return problems
