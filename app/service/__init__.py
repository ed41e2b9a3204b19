"""Ferry as an OS service: the Windows service, its machine-wide home and its protected login."""
