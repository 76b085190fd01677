"""What the tests share and are not tests themselves: helpers, fixtures' building blocks,
local servers, a test keyring, scripts run as subprocesses. Nothing here is collected."""
