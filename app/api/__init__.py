"""The platform API contract: payload models shared by the agent's client and the sandbox.

Both sides import the same pydantic models, so a field renamed on one side is a type error on the
other instead of a silent mismatch discovered in production.
"""
