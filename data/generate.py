#!/usr/bin/env python3
"""Writes the example playbook's data files: a year of clearly synthetic help-desk exports.

Nothing here comes from real customers. Volumes follow each touch point's declared frequency
with a little seasonality and noise, satisfaction drifts around a level per touch point and
rises after the service-promise programme starts (2026-10-05) for the touch points it
practises, and the verbatims are stock phrases in each edition's language. The seed is fixed,
so running it again gives the same files byte for byte:

    python3 data/generate.py            # from the playbook folder
"""

import csv
import math
import random
from pathlib import Path

SEED = 2026
MONTHS = [f"{2025 + (m // 12)}-{m % 12 + 1:02d}" for m in range(11, 23)]  # 2025-12 .. 2026-11
ROLLOUT_START = "2026-10"
ROLLOUT_TOUCHPOINTS = {
    "password-reset-call", "status-update-request", "handover-to-another-team", "missed-deadline",
    "customer-asks-for-manager", "major-outage", "renewal-after-bad-year",
}

# id: (declared frequency, channels, how the export names it: the id, or its categories)
TOUCHPOINTS = {
    "angry-consultant-customer": (2, ["on-site", "phone", "email"], None),
    "customer-asks-for-manager": (2, ["phone", "on-site"], None),
    "demand-outside-contract": (3, ["email", "meeting", "on-site"], None),
    "first-call-from-prospect": (3, ["phone", "email"], None),
    "first-week-new-customer": (4, ["email", "chat", "phone"], None),
    "handover-to-another-team": (4, ["email", "meeting"], None),
    "invoice-complaint": (3, ["email", "phone"], ["Invoice query", "Billing complaint"]),
    "major-outage": (2, ["phone", "chat", "email"], ["Outage"]),
    "missed-deadline": (2, ["email", "meeting", "phone"], None),
    "onboarding-kickoff": (2, ["meeting", "on-site"], None),
    "password-reset-call": (5, ["phone", "chat"], ["Password reset", "Account locked"]),
    "quarterly-service-review": (2, ["meeting"], None),
    "renewal-after-bad-year": (1, ["meeting"], None),
    "status-update-request": (5, ["email", "phone", "chat"], ["Status request"]),
    "technician-arrives-on-site": (4, ["on-site"], ["On-site visit"]),
    "upsell-during-support": (3, ["phone", "on-site"], None),
    "winning-back-trust": (1, ["meeting", "email"], None),
}
# Touch points only a division has, and the ones it hides.
DIVISION_ONLY = {
    "norge": {"bankid-login-fails": (3, ["phone", "chat"], ["BankID-innlogging"])},
    "danmark": {"mitid-login-fails": (3, ["phone", "chat"], None)},
    "sverige": {"public-procurement-question": (2, ["email", "meeting"], None)},
}
HIDDEN = {"danmark": {"technician-arrives-on-site"}}
# Contacts a month in each edition, all touch points together.
SIZE = {None: 21000, "norge": 7400, "danmark": 5200, "sverige": 6100}
# A share of contacts in the middle of each frequency step (the thresholds are 1, 3, 6, 12 %).
WEIGHT = {1: 0.6, 2: 1.9, 3: 4.4, 4: 8.6, 5: 17.0}

LABELS = {
    None: {"phone": "Phone", "email": "Email", "chat": "Chat", "on-site": "On site", "meeting": "Meeting"},
    "norge": {"phone": "Telefon", "email": "E-post", "chat": "Chat", "on-site": "Hos kunden", "meeting": "Møte"},
    "danmark": {"phone": "Telefon", "email": "E-mail", "chat": "Chat", "on-site": "Hos kunden", "meeting": "Møde"},
    "sverige": {"phone": "Telefon", "email": "E-post", "chat": "Chatt", "on-site": "På plats", "meeting": "Möte"},
}
PRAISE = {
    None: [
        "Quick and friendly, and I was told exactly what would happen next.",
        "The agent took ownership and called me back as promised.",
        "Clear explanation without jargon. Thank you!",
        "Solved on the first contact, which I did not expect.",
        "They kept me updated the whole way, even when there was no news.",
    ],
    "norge": [
        "Rask og hyggelig hjelp, og jeg fikk vite nøyaktig hva som skjer videre.",
        "Hun tok ansvar for saken og ringte meg tilbake som lovet.",
        "Tydelig forklart, uten faguttrykk. Tusen takk!",
        "Løst på første henvendelse, det hadde jeg ikke ventet.",
    ],
    "danmark": [
        "Hurtig og venlig hjælp, og jeg fik at vide præcis, hvad der skulle ske.",
        "Han tog ansvar for sagen og ringede tilbage, som han havde lovet.",
        "Klar forklaring uden fagsprog. Tak for det!",
        "Løst ved første henvendelse, det havde jeg ikke regnet med.",
    ],
    "sverige": [
        "Snabb och trevlig hjälp, och jag fick veta exakt vad som händer sedan.",
        "Hon tog ansvar för ärendet och ringde tillbaka som utlovat.",
        "Tydlig förklaring utan fackspråk. Tack!",
        "Löst vid första kontakten, det hade jag inte väntat mig.",
    ],
}
COMPLAINTS = {
    None: [
        "I had to explain the problem three times before anyone took it on.",
        "Nobody told me it would take a week. I had to chase you.",
        "Polite, but I still do not know who is handling my case.",
    ],
    "norge": [
        "Jeg måtte forklare problemet tre ganger før noen tok tak i det.",
        "Ingen sa at det ville ta en uke. Jeg måtte purre selv.",
        "Høflig, men jeg vet fortsatt ikke hvem som har saken min.",
    ],
    "danmark": [
        "Jeg skulle forklare problemet tre gange, før nogen tog sig af det.",
        "Ingen sagde, at det ville tage en uge. Jeg måtte selv rykke for svar.",
        "Høflig, men jeg ved stadig ikke, hvem der har min sag.",
    ],
    "sverige": [
        "Jag fick förklara problemet tre gånger innan någon tog tag i det.",
        "Ingen sa att det skulle ta en vecka. Jag fick jaga er själv.",
        "Artig, men jag vet fortfarande inte vem som har mitt ärende.",
    ],
}


def touchpoints_of(division):
    tps = {k: v for k, v in TOUCHPOINTS.items() if k not in HIDDEN.get(division, set())}
    tps.update(DIVISION_ONLY.get(division, {}))
    return tps


def main():
    rng = random.Random(SEED)
    folder = Path(__file__).resolve().parent
    volumes, scores, verbatims = [], [], []
    for division in [None, "norge", "danmark", "sverige"]:
        tps = touchpoints_of(division)
        total_weight = sum(WEIGHT[f] for f, _, _ in tps.values())
        for tp, (frequency, channels, categories) in sorted(tps.items()):
            level = rng.uniform(3.5, 4.4)
            for i, month in enumerate(MONTHS):
                season = 1 + 0.12 * math.cos((i - 1) / 12 * 2 * math.pi)  # busier in winter
                contacts = SIZE[division] * WEIGHT[frequency] / total_weight * season * rng.uniform(0.9, 1.1)
                names = categories or [tp]
                for n, name in enumerate(names):
                    part = round(contacts * (0.7 if n == 0 and len(names) > 1 else 0.3 if len(names) > 1 else 1))
                    volumes.append([name, month, part, division or ""])
                csat = level + rng.uniform(-0.12, 0.12)
                if tp in ROLLOUT_TOUCHPOINTS and month >= ROLLOUT_START:
                    csat += 0.3
                answers = max(3, round(contacts * rng.uniform(0.05, 0.08)))
                scores.append([names[0], month, f"{min(csat, 5.0):.2f}", answers, division or ""])
            # A few comments each, none repeated: two thirds praise, the rest complaints.
            said = rng.sample(PRAISE[division], 2) + rng.sample(COMPLAINTS[division], 1)
            for text in rng.sample(said, rng.randint(2, 3)):
                month = rng.choice(MONTHS)
                day = rng.randint(1, 28)
                channel = LABELS[division][rng.choice(channels)]
                verbatims.append([tp, f"{month}-{day:02d}", channel, text, division or ""])
    write(folder / "volumes.csv", ["touchpoint", "month", "contacts", "division"], volumes)
    write(folder / "satisfaction.csv", ["touchpoint", "month", "csat", "answers", "division"], scores)
    write(folder / "verbatims.csv", ["touchpoint", "date", "channel", "text", "division"], verbatims)


def write(path, header, rows):
    with open(path, "w", newline="", encoding="utf-8") as file:
        out = csv.writer(file, lineterminator="\n")
        out.writerow(header)
        out.writerows(rows)


if __name__ == "__main__":
    main()
