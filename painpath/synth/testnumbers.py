"""Personnummer that belong to no real person: Skatteverket's published test numbers.

Only numbers from Skatteverket's list of test personnummer (testpersonnummer, published as
open data for exactly this use) may stand for a person in synthetic data, the demo or the
tests. A number that merely has a valid check digit may belong to someone. Everyone else
in synthetic data gets an opaque id. The numbers below were checked against that list;
add more only from it.
"""

# (number, sex as the number states it: the ninth digit is odd for men)
SKATTEVERKET_TEST_NUMBERS: tuple[tuple[str, str], ...] = (
    ("19320801-9111", "M"),
    ("19361011-9053", "M"),
    ("19370311-9168", "K"),
    ("19381030-9140", "K"),
    ("19390917-9131", "M"),
    ("19400107-9120", "K"),
    ("19410519-9121", "K"),
    ("19420310-9147", "K"),
    ("19430926-9225", "K"),
    ("19440514-9057", "M"),
    ("19931115-2384", "K"),
    ("19931208-2382", "K"),
    ("19940315-2383", "K"),
    ("19940427-2396", "M"),
    ("19940612-2391", "M"),
    ("19940923-2387", "K"),
    ("19941004-2395", "M"),
    ("19950112-2395", "M"),
)
