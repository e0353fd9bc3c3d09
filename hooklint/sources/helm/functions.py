"""Sprig functions whose result differs on every call (HL010): the issue's list, plus the
other random and crypto generators of the same family."""

NONDETERMINISTIC = (
    "randAlphaNum", "randAlpha", "randNumeric", "randAscii", "randBytes", "randInt",
    "uuidv4", "now", "genCAWithKey", "genCA", "genPrivateKey",
    "genSelfSignedCertWithKey", "genSelfSignedCert", "genSignedCertWithKey", "genSignedCert",
)  # fmt: skip
