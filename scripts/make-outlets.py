#!/usr/bin/env python3
"""make-outlets.py - write data/outlets.jsonl, the corpus of the overlap tests.

Four made-up outlets (the seed articles are real reporting; the outlet names
here are invented so that nothing is attributed to a real publisher):

  the-meridian     original reporting: six stories, the two halves of seeds
                   000, 002 and 004; re-runs one of its own stories as an
                   update (self-reuse)
  harbour-times    original reporting: four stories, the halves of seeds
                   001 and 003 (same event, no shared text with the-meridian)
  newsfeed-digest  republishes five the-meridian stories one or two days
                   later - an exact copy, two trimmed (last paragraphs cut),
                   two under a new lede of its own - one harbour-times story
                   under a new lede, and two pieces of its own
  kitchen-weekly   unrelated: three recipes and a gardening column

So newsfeed-digest -> the-meridian: 5 of 8 documents, the-meridian first in
all five; newsfeed-digest -> harbour-times: 1 of 8; kitchen-weekly: nothing.

Run from the repository root:  python3 scripts/make-outlets.py
(only needed to regenerate; the output is committed).
"""
import json
import os

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def seed(prefix):
    d = os.path.join(ROOT, "data", "seeds")
    name = next(f for f in sorted(os.listdir(d)) if f.startswith(prefix))
    with open(os.path.join(d, name), encoding="utf-8") as f:
        return [p.strip() for p in f.read().split("\n") if p.strip()]


def halves(paras):
    """Split paragraphs in two at the middle by length."""
    total = sum(len(p) for p in paras)
    acc = 0
    for i, p in enumerate(paras):
        acc += len(p)
        if acc >= total / 2:
            return paras[: i + 1], paras[i + 1:]
    return paras, []


def text(paras):
    return "\n\n".join(paras)


def trim(paras, keep):
    """The first paragraphs, about `keep` of the text by length."""
    total = sum(len(p) for p in paras)
    out, acc = [], 0
    for p in paras:
        if out and acc + len(p) > keep * total:
            break
        out.append(p)
        acc += len(p)
    return out


m = []                                  # the-meridian's six stories
for s in ("000", "002", "004"):
    a, b = halves(seed(s))
    m += [a, b]
h = []                                  # harbour-times' four stories
for s in ("001", "003"):
    a, b = halves(seed(s))
    h += [a, b]

LEDE_1 = ("Readers of Newsfeed Digest asked us what the withdrawal means for the people who stayed behind. "
          "Below, the full account as it was first reported, with our own short summary at the top: the army "
          "is leaving, the officials are staying quiet, and nobody can say for how long.")
LEDE_2 = ("NEWSFEED DIGEST - Morning briefing. Our editors picked this report as the most important read of the "
          "day. It explains, step by step, how the decision was taken and who announced it first.")
LEDE_3 = ("From our partners: a second view on the same decision, republished for our readers with permission. "
          "We have added this note; the rest of the text is unchanged.")

OWN_1 = ("Newsfeed Digest is changing the way its morning newsletter arrives. From Monday the briefing will be "
         "sent at seven instead of six, after many subscribers wrote to say that the earlier time meant the "
         "message was buried under everything else by breakfast. The content stays the same: five stories, "
         "one chart, and a short note from the editor on what to watch during the day. Subscribers who prefer "
         "the old time can keep it in their account settings, where a new option lets every reader choose the "
         "hour and the days of the week on which the newsletter is delivered.")
OWN_2 = ("Our weekly reader survey closed on Friday with more than two thousand answers. Most of you read us on "
         "a phone, usually during the commute, and most of you would like fewer push notifications and longer "
         "explanations of complicated stories. We heard that. Starting next month we will send at most three "
         "alerts a day, and every long investigation will come with a plain summary box at the top. Thank you "
         "to everyone who took the time to answer, and especially to the readers who wrote long comments about "
         "what they miss.")

UPDATE = ("UPDATE, 12 November: this story has been updated with the latest statements from both sides. "
          "The original text follows unchanged.")

KITCHEN = [
    ("kw-bread", "2022-11-08",
     "A slow loaf for a cold weekend. Stir five hundred grams of strong white flour with ten grams of salt and a "
     "pinch of dried yeast, then pour in three hundred and fifty millilitres of lukewarm water and mix until no "
     "dry patches remain. Cover the bowl and leave it on the counter overnight; by morning the dough will have "
     "doubled and smell faintly sour. Fold it over itself a few times on a floured board, shape it into a round, "
     "and let it rise again in a basket lined with a tea towel. Bake in a covered pot in a very hot oven for "
     "thirty minutes, then uncover it for fifteen more until the crust is deep brown and sounds hollow."),
    ("kw-soup", "2022-11-09",
     "Pumpkin soup needs little more than patience. Roast wedges of pumpkin with a halved onion, two cloves of "
     "garlic and a drizzle of oil until the edges caramelise. Scoop the flesh into a pan with a litre of stock, "
     "simmer for ten minutes and blend until smooth. A spoon of cream, a grating of nutmeg and a handful of "
     "toasted seeds turn it into a dinner. It keeps for three days in the fridge and freezes well in small jars, "
     "so it is worth making a double batch while the oven is already warm."),
    ("kw-garden", "2022-11-10",
     "November in the garden is about putting beds to sleep. Pull the last of the summer annuals, spread a thick "
     "layer of compost over the empty soil and let the worms do the digging for you over winter. Tulip bulbs "
     "can still go in until the ground freezes: plant them three times as deep as they are tall, pointed end up, "
     "and mark the spot so you do not dig them up by mistake in spring. Wrap young trees against frost and move "
     "pots of tender herbs to a bright windowsill indoors."),
    ("kw-cake", "2022-11-11",
     "An apple cake that forgives every mistake. Beat two eggs with a cup of sugar until pale, fold in a cup of "
     "flour with a teaspoon of baking powder, and stir through four apples cut into thin slices. Tip the batter "
     "into a buttered tin, scatter cinnamon on top and bake for forty minutes until a skewer comes out clean. "
     "It tastes even better the next day, when the apples have softened into the crumb."),
]

docs = []


def add(id_, source, date, paras_or_text):
    t = paras_or_text if isinstance(paras_or_text, str) else text(paras_or_text)
    docs.append({"id": id_, "source": source, "date": date, "text": t})


# originals
add("meridian-1", "the-meridian", "2022-11-09", m[0])
add("meridian-2", "the-meridian", "2022-11-09", m[1])
add("meridian-3", "the-meridian", "2022-11-10", m[2])
add("meridian-4", "the-meridian", "2022-11-10T18:00:00Z", m[3])
add("meridian-5", "the-meridian", "2022-11-10", m[4])
add("meridian-6", "the-meridian", "2022-11-11", m[5])
add("meridian-6-update", "the-meridian", "2022-11-12", [UPDATE] + m[5])
add("harbour-1", "harbour-times", "2022-11-09", h[0])
add("harbour-2", "harbour-times", "2022-11-09", h[1])
add("harbour-3", "harbour-times", "2022-11-10", h[2])
add("harbour-4", "harbour-times", "2022-11-10", h[3])
# the republisher
add("digest-101", "newsfeed-digest", "2022-11-10", m[0])                  # exact copy, next day
add("digest-102", "newsfeed-digest", "2022-11-10", trim(m[1], 0.7))       # trimmed
add("digest-103", "newsfeed-digest", "2022-11-12", [LEDE_1] + m[2])       # new lede, two days later
add("digest-104", "newsfeed-digest", "2022-11-11T09:30:00Z", trim(m[3], 0.75))   # trimmed, next morning
add("digest-105", "newsfeed-digest", "2022-11-11", [LEDE_2] + m[4])       # new lede
add("digest-106", "newsfeed-digest", "2022-11-11", [LEDE_3] + h[0])       # a harbour-times story
add("digest-107", "newsfeed-digest", "2022-11-11", OWN_1)
add("digest-108", "newsfeed-digest", "2022-11-12", OWN_2)
# unrelated
for id_, date, t in KITCHEN:
    add(id_, "kitchen-weekly", date, t)

with open(os.path.join(ROOT, "data", "outlets.jsonl"), "w", encoding="utf-8") as f:
    for d in docs:
        f.write(json.dumps(d, ensure_ascii=False) + "\n")
