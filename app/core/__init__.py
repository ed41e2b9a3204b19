"""Ferry's pure core: document kinds, statuses, VAT numbers, names and path templates.

Nothing here touches Qt, the network or the disk, so every rule that decides where a document
lands can be tested exhaustively and reused by the engine, the GUI and the command line alike.
"""
