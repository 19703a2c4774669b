"""A reproducible news corpus for the benchmarks: political sentences from the evaluation sets in ../shared/eval
mixed with non-political news sentences written here (business, sport, weather, science, culture, local news).

Each article is 28-38 sentences (about 600 words) in paragraphs of one to three sentences, with a title, an
outlet, a URL and a date; at least ``political_share`` of its sentences are political. A few articles are wire
copies of an earlier one, republished by another outlet with a sentence changed: near-duplicates for dedup.
The same seed always gives the same corpus.
"""

from __future__ import annotations

import json
import random
from datetime import date, timedelta
from pathlib import Path

SHARED_EVAL = Path(__file__).resolve().parents[2] / "shared" / "eval"

COMPANIES = ["Northwind Foods", "Brightline Energy", "Calder Motors", "Vantor Systems", "Harbourview Bank",
             "Meridian Airlines", "Oakridge Pharma", "Bluecrest Media", "Fenwick Retail", "Solstice Mining",
             "Tallis Software", "Greyhaven Insurance", "Kestrel Logistics", "Riverbend Brewing", "Lumen Optics"]
PEOPLE = ["Maria Jensen", "David Okafor", "Hannah Lindqvist", "Tomas Ferreira", "Priya Raman", "Lucas Moreau",
          "Grace Whitfield", "Kenji Watanabe", "Sofia Marchetti", "Owen Gallagher", "Amara Nwosu", "Elena Kowalski",
          "Samuel Brandt", "Chloe Dubois", "Rafael Ortega", "Ingrid Holm", "Noah Castellano", "Leila Haddad"]
TEAMS = ["Harbor City Hawks", "Westfield Rovers", "Lakeside Falcons", "Northgate United", "Redhill Wanderers",
         "Eastbrook Tigers", "Silverton Athletic", "Millbrook Rangers"]
CITIES = ["London", "Chicago", "Osaka", "Lyon", "Melbourne", "Toronto", "Munich", "Barcelona", "Seattle", "Dublin",
          "Auckland", "Denver", "Rotterdam", "Porto", "Vancouver", "Glasgow", "Stockholm", "Bristol", "Boston"]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December"]
OUTLETS = ["Daily Ledger", "Morning Courier", "Evening Post", "Metro Herald", "Coastal Times", "Valley Gazette",
           "National Observer", "City Chronicle"]

# {company} {person} {team} {team2} {city} {city2} {day} {month} {n} {n2} {pct} {year}
NEWS = [
    "Shares of {company} rose {pct} percent on {day} after the firm reported stronger than expected quarterly sales.",
    "The company said it expects revenue to grow by about {pct} percent next year as demand recovers.",
    "{company} plans to open {n} new stores in {city} and nearby towns over the next two years.",
    "Analysts said the results were helped by lower fuel costs and a strong holiday season.",
    "It was the third straight quarter of growth for the company, which employs about {n2} people.",
    "The chief executive, {person}, told analysts on a call that the outlook for the second half remained cautious.",
    "She said the new factory would be running at full capacity by the end of {month}.",
    "The airline said it would add a daily flight between {city} and {city2} from {month}.",
    "Prices of coffee and cocoa have climbed sharply this year after poor harvests in several growing regions.",
    "The new phone will go on sale in {month} at a starting price of {n} dollars.",
    "Online sales made up almost a third of the total, up from a fifth two years ago.",
    "The bank kept its forecast for the full year unchanged and said loan demand was steady.",
    "Mortgage rates edged lower for a fourth week, according to figures published on {day}.",
    "The merger, which still needs approval from shareholders, would create the largest grocer in the region.",
    "Its shares have gained nearly {pct} percent since the start of the year.",
    "The {team} beat the {team2} 3-1 on {day} in front of a sellout crowd of {n2} fans.",
    "The striker scored twice in the second half to give his side its first win of the season.",
    "{person}, who has coached the club since {year}, said the squad was still learning to play together.",
    "He said the team would review the footage before deciding on any changes for the next match.",
    "The {team} have now won five of their last six games and sit second in the table.",
    "Tickets for the final sold out within minutes, the organisers said.",
    "The goalkeeper made three fine saves in the opening half hour to keep the score level.",
    "She finished the marathon in two hours and twenty minutes, a personal best by almost a minute.",
    "The race was delayed by an hour because of strong winds along the coastal section of the course.",
    "They will play the {team2} in {city} next weekend with a place in the semi-finals at stake.",
    "The veteran midfielder announced on {day} that this would be his last season as a professional.",
    "Forecasters expect heavy rain to move across the region by {day} evening, with temperatures falling sharply.",
    "The storm brought down trees and power lines, leaving about {n2} homes without electricity for several hours.",
    "It was the wettest {month} since records began more than a century ago.",
    "Drivers were advised to avoid the coastal road until the water had drained away.",
    "The weather is expected to turn warmer and drier later in the week.",
    "Researchers at a university in {city} found that the drug reduced symptoms in two thirds of patients.",
    "The study, published in a medical journal on {day}, followed {n2} volunteers over five years.",
    "Scientists have long suspected that the lake's unusual colour comes from a rare kind of algae.",
    "The telescope captured images of a galaxy more than ten billion light years away.",
    "The team now hopes to test the treatment in a larger trial starting next year.",
    "It could take a decade before the technique is used routinely in hospitals.",
    "The museum's new wing, designed by architect {person}, will open to the public next spring.",
    "The festival, now in its twentieth year, drew more than {n2} visitors to {city} last weekend.",
    "The film, shot mostly in {city}, follows a young chef who inherits a failing restaurant.",
    "Her debut novel has been translated into more than twenty languages.",
    "The orchestra will perform the full cycle of symphonies over four nights in {month}.",
    "Critics praised the production for its bold staging and its lead performance.",
    "The gallery said the painting had been in a private collection for more than eighty years.",
    "He began writing songs as a teenager and released his first album at the age of nineteen.",
    "The exhibition runs until the end of {month} and admission is free for children.",
    "Traffic on the main bridge was halted for two hours on {day} morning after a lorry broke down in the left lane.",
    "The council approved plans for a new cycle lane along the river, to be finished by next summer.",
    "Local residents have complained for years about noise from the airport's night flights.",
    "The library will extend its opening hours during the exam season.",
    "A new playground opened in the park on {day}, replacing equipment that had stood for thirty years.",
    "The bakery opened its doors in {year} and still uses the original recipe for its sourdough.",
    "Volunteers collected more than two tonnes of litter from the beach over the weekend.",
    "The school will mark its hundredth anniversary with a concert and an open day in {month}.",
    "The zoo announced the birth of two snow leopard cubs, the first there in a decade.",
    "Work on the new railway station is running about six months behind schedule.",
    "The market, held every Saturday in the old square, now has more than {n} stalls.",
    "Firefighters brought the blaze at the warehouse under control after about three hours.",
    "No one was injured, and the cause of the fire is being investigated.",
    "The recipe calls for two cups of flour, a pinch of salt and a spoonful of honey.",
    "The restaurant, which seats only twenty guests, is booked up months in advance.",
    "Sales of electric bicycles have doubled in the past two years, a trade group said.",
    "The software update fixes a bug that drained batteries on some older models.",
    "The app has been downloaded more than {n2} times since it was launched in {month}.",
    "Engineers will spend the next few weeks checking every bolt on the old viaduct.",
    "The ferry service will resume on {day} once repairs to the pier are complete.",
    "Hotel bookings in {city} are up by a quarter compared with the same period last year.",
    "The farm grows more than forty kinds of apples, some of them rare varieties.",
    "Visitors can take a guided tour of the brewery every afternoon except {day}.",
    "The charity hopes to raise enough money to open a second shelter by the winter.",
    "A spokesperson for {company} said the recall affected about {n2} vehicles built last year.",
    "The bridge, which opened in {year}, carries about {n2} vehicles a day.",
    "The price of a standard ticket will rise by ten cents from the first of {month}.",
    "Fans queued overnight outside the stadium in {city} to buy the new season's shirt.",
    "The concert hall's acoustics were redesigned during a two-year renovation.",
    "They expect the work to be finished before the tourist season begins.",
    "The garden centre said sales of seeds and compost had been unusually strong this spring.",
    "The rail operator apologised for the delays and said new trains would arrive next year.",
    "Its founder started the business in a garage with a single sewing machine.",
]

TITLES = ["{company} results beat forecasts", "{team} win again", "Storm leaves homes without power",
          "New study on treatment", "Festival draws record crowds", "Council approves cycle lane",
          "World news roundup", "Talks and tensions", "Regional briefing", "Diplomatic week in review"]


def political_sentences() -> list[str]:
    """Sentences of the evaluation sets (PLOVER gold standard and PETRARCH2 validation records)."""
    out: list[str] = []
    for name in ("plover_gsr.jsonl", "petrarch2_validation.jsonl"):
        path = SHARED_EVAL / name
        if not path.exists():
            raise SystemExit(f"{path} not found: the benchmark needs ../shared/eval beside the repository")
        for line in path.read_text(encoding="utf-8").splitlines():
            text = " ".join(json.loads(line)["text"].split())
            if text:
                out.append(text)
    return out


def _fill(template: str, rng: random.Random) -> str:
    team, team2 = rng.sample(TEAMS, 2)
    city, city2 = rng.sample(CITIES, 2)
    return template.format(
        company=rng.choice(COMPANIES), person=rng.choice(PEOPLE), team=team, team2=team2, city=city, city2=city2,
        day=rng.choice(DAYS), month=rng.choice(MONTHS), n=rng.randint(3, 60), n2=f"{rng.randint(2, 90) * 1000:,}",
        pct=rng.randint(2, 19), year=rng.randint(1960, 2020),
    )


def build_corpus(n_articles: int = 2000, seed: int = 7, political_share: float = 0.36,
                 duplicate_share: float = 0.04) -> list[dict]:
    """Articles as JSON Lines records: text, title, url, outlet, date."""
    rng = random.Random(seed)
    political = political_sentences()
    articles: list[dict] = []
    start = date(2025, 1, 1)
    while len(articles) < n_articles:
        if articles and rng.random() < duplicate_share:
            # a wire copy: another outlet, one sentence rewritten, same day
            src = rng.choice(articles)
            sentences = list(src["_sentences"])
            k = rng.randrange(len(sentences))
            sentences[k] = _fill(rng.choice(NEWS), rng)
            outlet = rng.choice([o for o in OUTLETS if o != src["outlet"]])
            articles.append(_article(len(articles), sentences, src["title"], outlet, src["date"], rng))
            continue
        n = rng.randint(28, 38)
        n_pol = max(1, round(n * political_share + 0.5))
        sentences = [rng.choice(political) for _ in range(n_pol)]
        sentences += [_fill(rng.choice(NEWS), rng) for _ in range(n - n_pol)]
        rng.shuffle(sentences)
        day = start + timedelta(days=rng.randrange(365))
        title = _fill(rng.choice(TITLES), rng)
        articles.append(_article(len(articles), sentences, title, rng.choice(OUTLETS), day.isoformat(), rng))
    return articles


def _article(n: int, sentences: list[str], title: str, outlet: str, day: str, rng: random.Random) -> dict:
    paragraphs: list[str] = []
    i = 0
    while i < len(sentences):
        k = rng.randint(1, 3)
        paragraphs.append(" ".join(sentences[i : i + k]))
        i += k
    slug = outlet.lower().replace(" ", "")
    return {"text": "\n\n".join(paragraphs), "title": title, "url": f"https://{slug}.example/news/{n:06d}",
            "outlet": outlet, "date": day, "_sentences": sentences}


def write_corpus(path: str | Path, articles: list[dict]) -> dict:
    """Write the articles as JSON Lines; returns the corpus figures (articles, words, sentences, shares)."""
    political = set(political_sentences())
    n_sent = n_pol = n_words = 0
    with open(path, "w", encoding="utf-8") as fh:
        for a in articles:
            n_sent += len(a["_sentences"])
            n_pol += sum(1 for s in a["_sentences"] if s in political)
            n_words += len(a["text"].split())
            fh.write(json.dumps({k: v for k, v in a.items() if not k.startswith("_")}, ensure_ascii=False) + "\n")
    return {"articles": len(articles), "sentences": n_sent, "words": n_words,
            "words_per_article": round(n_words / max(1, len(articles)), 1),
            "political_share": round(n_pol / max(1, n_sent), 3)}
