"""Billit's payloads as Ferry reads and writes them, named exactly as Billit's description.

The source is Billit's published Swagger 2.0 description (``../shared/platforms/billit/
swagger-v1.json``, definitions ``Feed``, ``FeedItem``, ``FileDetails``, ``ConfirmRequest``,
``AccountInformation``, ``AccountInformationParty``, ``UserCompanyRole``, ``Order``, ``Party``,
``DocumentAPIView``, ``File``, ``PageResult_Order``, ``PageResult_DocumentAPIView``,
``OAuthAccessTokenRequest``). Every model keeps only the properties Ferry
uses; a property's wire name is its alias, so Python reads ``item.feed_item_id`` while the
JSON says ``FeedItemID``.

Why every field is optional: the description marks no property of these definitions as
required, so an answer without one of them is still an answer Billit may give. Whether Ferry
can work with it is decided where it is used (:mod:`~app.platforms.billit.mapping` turns a
missing value into a failure in plain words), not by a parse error here. Unknown fields are
ignored: Billit adds properties without a new version. ``None`` is accepted wherever a value
may be absent, since .NET services write ``null`` for unset properties.
"""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, ConfigDict, Field

__all__ = [
    "AccountInformation",
    "AccountInformationParty",
    "ConfirmRequest",
    "DocumentPageResult",
    "DocumentView",
    "Feed",
    "FeedItem",
    "File",
    "FileDetails",
    "Order",
    "OrderPageResult",
    "Party",
    "TokenAnswer",
    "TokenRequest",
    "UserCompanyRole",
]


class _Wire(BaseModel):
    """Base of every Billit payload: read and written by the wire names only (the aliases), so
    a key spelt like a Python attribute is an unknown field; unknown fields are ignored."""

    model_config = ConfigDict(extra="ignore")

    def wire(self) -> dict[str, object]:
        """The payload as Billit spells it, leaving out what is unset (never ``null``)."""
        return self.model_dump(mode="json", by_alias=True, exclude_none=True)


# --- the accountant feed -------------------------------------------------------------------


class Feed(_Wire):
    """A named feed (``GET``/``POST /v1/accountant/feeds``): one per Ferry installation."""

    name: str | None = Field(default=None, alias="Name")


class FeedItem(_Wire):
    """One entry of ``GET /v1/accountant/feeds/{feedName}``: an order or document to fetch.

    ``party_id`` is the client company that uploaded it; ``entity_id`` is the order's or the
    document's id in the Order or Document API, as ``entity_type`` says.
    """

    feed_item_id: int | None = Field(default=None, alias="FeedItemID")
    entity_id: int | None = Field(default=None, alias="EntityID")
    entity_type: str | None = Field(default=None, alias="EntityType")
    party_id: int | None = Field(default=None, alias="PartyID")


class FileDetails(_Wire):
    """A feed item's file (``GET /v1/accountant/feeds/{feedName}/{feedItemID}``).

    ``file_content`` is base64; ``file_content_sha256`` is the SHA-256 of the decoded bytes
    (the description says so: "of byte array (not the Base64)").
    """

    file_name: str | None = Field(default=None, alias="FileName")
    file_content: str | None = Field(default=None, alias="FileContent")
    file_content_sha256: str | None = Field(default=None, alias="FileContentSHA256Hash")


class ConfirmRequest(_Wire):
    """Body of ``POST .../{feedItemID}/confirm``: where the file went ("for logging purpose")."""

    remote_server_name: str | None = Field(default=None, alias="RemoteServerName")
    remote_path: str | None = Field(default=None, alias="RemotePath")


# --- the account ---------------------------------------------------------------------------


class UserCompanyRole(_Wire):
    """What the logged-in user may do in one company."""

    party_id: int | None = Field(default=None, alias="PartyID")
    user_role_types: list[str] | None = Field(default=None, alias="UserRoleTypes")


class AccountInformationParty(_Wire):
    """One company the logged-in user reaches: the office's own, or one of its clients."""

    party_id: int | None = Field(default=None, alias="PartyID")
    name: str | None = Field(default=None, alias="Name")
    commercial_name: str | None = Field(default=None, alias="CommercialName")
    display_name: str | None = Field(default=None, alias="DisplayName")
    vat_number: str | None = Field(default=None, alias="VATNumber")
    country_code: str | None = Field(default=None, alias="CountryCode")
    language: str | None = Field(default=None, alias="Language")
    created: dt.datetime | None = Field(default=None, alias="Created")
    api_allowed: bool | None = Field(default=None, alias="APIAllowed")


class AccountInformation(_Wire):
    """``GET /v1/account/accountInformation``: who is logged in and which companies they reach."""

    email: str | None = Field(default=None, alias="Email")
    first_name: str | None = Field(default=None, alias="FirstName")
    last_name: str | None = Field(default=None, alias="LastName")
    companies: list[AccountInformationParty] | None = Field(default=None, alias="Companies")
    user_company_roles: list[UserCompanyRole] | None = Field(default=None, alias="UserCompanyRoles")


# --- what a feed item points at --------------------------------------------------------------


class Party(_Wire):
    """A customer or supplier named on an order."""

    party_id: int | None = Field(default=None, alias="PartyID")
    name: str | None = Field(default=None, alias="Name")
    commercial_name: str | None = Field(default=None, alias="CommercialName")
    vat_number: str | None = Field(default=None, alias="VATNumber")


class File(_Wire):
    """A file of an order or document (``OrderPDF``, ``DocumentAPIView.File``; and the answer
    of ``GET /v1/files/{fileID}``). ``file_content`` is base64 (``format: byte``) and may be
    left out of a listing or an order; Billit names no digest for it."""

    file_id: str | None = Field(default=None, alias="FileID")
    file_name: str | None = Field(default=None, alias="FileName")
    mime_type: str | None = Field(default=None, alias="MimeType")
    file_content: str | None = Field(default=None, alias="FileContent")


class Order(_Wire):
    """``GET /v1/orders/{orderID}``: an invoice or credit note, income (sales) or cost
    (purchase) as ``order_direction`` says; ``order_pdf`` is its file (the invoice's PDF)."""

    order_id: int | None = Field(default=None, alias="OrderID")
    company_id: int | None = Field(default=None, alias="CompanyID")
    order_number: str | None = Field(default=None, alias="OrderNumber")
    order_type: str | None = Field(default=None, alias="OrderType")
    order_direction: str | None = Field(default=None, alias="OrderDirection")
    order_date: dt.datetime | None = Field(default=None, alias="OrderDate")
    created: dt.datetime | None = Field(default=None, alias="Created")
    last_modified: dt.datetime | None = Field(default=None, alias="LastModified")
    total_incl: float | None = Field(default=None, alias="TotalIncl")
    currency: str | None = Field(default=None, alias="Currency")
    customer: Party | None = Field(default=None, alias="Customer")
    supplier: Party | None = Field(default=None, alias="Supplier")
    counter_party: Party | None = Field(default=None, alias="CounterParty")
    order_pdf: File | None = Field(default=None, alias="OrderPDF")


class DocumentView(_Wire):
    """``GET /v1/documents/{documentID}`` (definition ``DocumentAPIView``): any other file a
    client shared, such as a contract or a bank statement."""

    document_id: int | None = Field(default=None, alias="DocumentID")
    company_id: int | None = Field(default=None, alias="CompanyID")
    name: str | None = Field(default=None, alias="Name")
    description: str | None = Field(default=None, alias="Description")
    document_date: dt.datetime | None = Field(default=None, alias="DocumentDate")
    creation_date: dt.datetime | None = Field(default=None, alias="CreationDate")
    tags: list[str] | None = Field(default=None, alias="Tags")
    file: File | None = Field(default=None, alias="File")


class OrderPageResult(_Wire):
    """``GET /v1/orders`` (definition ``PageResult_Order``): one page of a company's orders.

    Billit pages on the server (120 items by default, say its guides); ``next_page_link`` is
    there while items are left, and ``$skip`` reads from a given position.
    """

    items: list[Order] | None = Field(default=None, alias="Items")
    next_page_link: str | None = Field(default=None, alias="NextPageLink")
    count: int | None = Field(default=None, alias="Count")


class DocumentPageResult(_Wire):
    """``GET /v1/documents`` (definition ``PageResult_DocumentAPIView``), paged as
    :class:`OrderPageResult`."""

    items: list[DocumentView] | None = Field(default=None, alias="Items")
    next_page_link: str | None = Field(default=None, alias="NextPageLink")
    count: int | None = Field(default=None, alias="Count")


# --- the login -------------------------------------------------------------------------------


class TokenRequest(_Wire):
    """Body of ``POST /OAuth2/token`` (definition ``OAuthAccessTokenRequest``); the names are
    OAuth's own (lower case with underscores), not Billit's usual capitals."""

    grant_type: str | None = None
    client_id: str | None = None
    client_secret: str | None = None
    code: str | None = None
    code_verifier: str | None = None
    redirect_uri: str | None = None
    refresh_token: str | None = None
    state: str | None = None


class RevokeRequest(_Wire):
    """Body of ``POST /OAuth2/revoke``. Billit's guides name the endpoint; its description
    declares no body for it, so these are RFC 7009's names, with the client's credentials as
    the token call takes them (OAuth's names, not Billit's capitals)."""

    token: str
    token_type_hint: str | None = None
    client_id: str | None = None
    client_secret: str | None = None


class TokenAnswer(_Wire):
    """The answer of ``POST /OAuth2/token``. The description says only "an object"; these are
    RFC 6749's names, which Billit's guides use. The refresh token is single-use: each answer
    carries the next one."""

    access_token: str
    token_type: str = "bearer"
    expires_in: int | None = None
    refresh_token: str | None = None
