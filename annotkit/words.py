"""The word lists the reader shares.

Abbreviations and titles (sentences and quotes both need them), reporting verbs, pronouns, and the words that
tell a person's name from the words around it.

One list each, so that the sentence splitter and the quotation reader agree on what "Sen." or "Gov." is.
Every list is lower case unless it says otherwise.
"""

from __future__ import annotations

__all__ = [
    "ABBREVIATIONS",
    "CUE_VERBS",
    "DEMONYMS",
    "FEMALE_NAMES",
    "FUNCTION_WORDS",
    "MALE_NAMES",
    "MONTHS",
    "NAME_PARTICLES",
    "ORGANIZATION_WORDS",
    "PARTICIPLE_CUES",
    "PARTY_WORDS",
    "PRONOUNS",
    "TITLES",
    "TITLE_WORDS",
    "WEEKDAYS",
]


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


#: Abbreviated titles: always followed by a name, so never the end of a sentence ("Sen. Lee", "Gov. Ruiz").
TITLES = _words(
    """mr mrs ms messrs dr prof sen rep gen gov lt col sgt capt maj adm cmdr rev hon pres supt insp det cpl
    pvt brig fr mt ft mme mlle atty"""
)
#: Abbreviations that end a sentence only when a new sentence clearly starts after them.
ABBREVIATIONS = _words(
    """jan feb mar apr jun jul aug sep sept oct nov dec no nos vol pp fig art inc corp co ltd bros est
    approx dept univ assn ave blvd rd etc vs e.g i.e sr jr st
    ala ariz ark calif colo conn del fla ga ill ind kan ky md mass mich minn miss mo mont neb nev okla ore pa
    tenn tex va vt wash wis wyo"""  # the last two lines: U.S. states, as datelines and party tags abbreviate them
)

#: Verbs that report speech or writing ("said", "told", "tweeted").
CUE_VERBS = _words(
    """said says say told tells added adds asked asks explained explains replied replies warned warns wrote
    writes stated states noted notes argued argues insisted insists declared declares announced announces
    acknowledged acknowledges admitted admits claimed claims confirmed confirms denied denies recalled recalls
    conceded concedes cautioned cautions predicted predicts suggested suggests urged urges vowed vows promised
    promises pledged pledges complained complains described describes called calls testified testifies tweeted
    tweets posted posts commented comments observed observes responded responds remarked remarks estimated
    estimates concluded concludes agreed agrees boasted boasts joked jokes shouted shouts whispered whispers
    emphasized emphasizes emphasised stressed stresses maintained maintains countered counters continued
    continues quipped quips yelled yells thundered mused muses lamented laments marveled marvels recounted
    recounts exclaimed exclaims charged charges scoffed scoffs insisted wondered wonders tweeted retorted
    retorts pointed proclaimed proclaims chimed chided reiterated reiterates declared blasted blasts reported
    reports asserted asserts alleged alleges boomed booms opined opines interjected interjects answered answers
    assured assures questioned barked pressed beamed reacted remembered snapped"""
)
#: "..., saying ..." takes its speaker from the clause before it.
PARTICIPLE_CUES = _words(
    """saying adding noting explaining warning arguing calling telling describing insisting writing asking
    declaring stressing"""
)

#: Pronouns that can stand for a speaker: (gender, number) where gender is "m", "f" or "n" (a thing, a group).
PRONOUNS = {
    "he": ("m", "singular"),
    "she": ("f", "singular"),
    "it": ("n", "singular"),
    "they": ("n", "plural"),
    "i": ("", "singular"),
    "we": ("", "plural"),
    "you": ("", "singular"),
}

#: Words that are never a speaker on their own, nor the start of a person's name.
FUNCTION_WORDS = _words(
    """he she it they we i you his her their its our my this that these those there here the a an and but or so
    yet in on at for of to from by with as if when while after before since because although though however
    meanwhile then also still some many most several no not one who whom whose which what where why how
    nor than both either neither each every all any just only even given including despite unlike like per
    whether until unless whose whom"""
)

#: Titles and roles written before a name ("Defense Secretary", "state Sen.", "Coach").
TITLE_WORDS = (
    _words(
        """president vice prime minister foreign defense defence secretary sen senator rep representative gov
    governor gen general lt col colonel maj major capt captain sgt sergeant adm admiral cmdr commander
    dr prof professor mr mrs ms miss mayor chancellor ambassador spokesman spokeswoman spokesperson
    chief deputy press interior health state attorney judge justice king queen prince princess pope
    sheikh imam rev reverend father sister lord lady sir dame speaker leader chairman chairwoman chair
    director executive officer head commissioner superintendent inspector detective sheriff police coach
    premier envoy special senior former acting interim lieutenant first congressman congresswoman
    councilman councilwoman councillor mp secretary-general assistant national security adviser advisor
    homeland treasury finance economy education energy trade environment agriculture transport labor
    labour culture army navy air force marine coast guard emergency fire public works opposition party
    committee high sophomore freshman junior principal teacher student dean nurse doctor trooper pastor
    rabbi bishop cardinal archbishop biologist scientist researcher analyst economist engineer manager
    founder candidate nominee hopeful rival strategist pollster aide operative host anchor columnist
    correspondent reporter editor author businessman businesswoman billionaire mogul magnate activist
    lawmaker legislator delegate chairperson manager campaign gop republican democrat democratic
    independent libertarian conservative liberal progressive sens reps govs"""
    )
    | TITLES
)  # "Atty." and "Sen." are titles for the quotation reader as for the sentence splitter
#: Words for a party or a side: "Republican Donald Trump" is Donald Trump; "(D-Mo.)" follows a name.
PARTY_WORDS = _words("republican republicans democrat democrats democratic gop independent libertarian green")
DEMONYMS = _words(
    """iraqi iranian american u.s. us british french german russian chinese ukrainian israeli palestinian
    syrian turkish kurdish afghan pakistani indian japanese korean saudi egyptian european canadian
    mexican brazilian nigerian kenyan african australian spanish italian polish dutch swiss swedish
    norwegian greek lebanese jordanian yemeni qatari emirati libyan sudanese ethiopian somali venezuelan
    colombian argentine chilean peruvian cuban filipino indonesian vietnamese thai malaysian bangladeshi
    irish scottish welsh portuguese belgian austrian hungarian czech romanian serbian croatian georgian
    armenian ghanaian senegalese congolese rwandan ugandan tanzanian moroccan algerian tunisian"""
)
#: Capitalized words that make a name an organization or a place, not a person (as written, capitalized).
ORGANIZATION_WORDS = frozenset(
    """Institute Ministry Department Service Council Agency Party Office House Forces Force Group Nations
    Union University Foundation Bank Company Court Army Navy Committee Commission Center Centre
    Association News Post Times Press Reuters Corp Inc Administration Government Congress Senate
    Parliament Republic State States Kingdom Province Region Mission Fund Program Programme Organization
    Organisation Authority Police Guard Network Media Television Radio School Hospital Church
    Democracies Watch International Club League Street Square Airport Station Museum Society Federation
    Alliance Coalition Front Movement Board Campaign Journal Magazine Review Institution Project Initiative
    Council Bureau Fox CNN NBC ABC CBS MSNBC PAC Caucus Convention""".split()
)
NAME_PARTICLES = _words("al el bin ben ibn abu de da di du van von der den la le dos del")
MONTHS = _words(
    """january february march april may june july august september october november december jan feb mar apr
    jun jul aug sep sept oct nov dec"""
)
WEEKDAYS = _words("monday tuesday wednesday thursday friday saturday sunday")

# Common first names, to agree "he" and "she" with a named person when the article does not say. A name not
# listed has no gender here, and agrees with either.
MALE_NAMES = _words(
    """aaron adam alan albert alex alexander andrew anthony antonio arthur austin barack ben benjamin bernie bill
    billy bob bobby brad brandon brian bruce bryan carl carlos charles charlie chris christopher chuck clarence
    colin corey craig dan daniel darrell dave david dennis derek dick don donald doug douglas dwight ed eddie
    edward eric ernest evan frank fred gary george gerald glenn gordon greg gregory harold harry henry howard
    ian jack jacob jake james jason jeb jeff jeffrey jeremy jerry jesse jim jimmy joe joel john johnny jon
    jonathan jordan jorge jose joseph josh joshua juan justin keith ken kenneth kevin kurt larry lawrence lee
    leon lindsey louis luis marco mark martin matt matthew michael mike mitch mitt nathan neil newt nick
    nicholas orrin patrick paul pete peter phil philip ralph randy raymond reince rex richard rick rob robert
    roger ron ronald roy rudy russell ryan sam samuel scott sean sherrod stephen steve steven ted terry thomas
    tim timothy todd tom tony travis trey troy vladimir walter wayne william willie xi zach"""
)
FEMALE_NAMES = _words(
    """abigail alice alicia alison amanda amy andrea angela ann anna anne barbara betsy betty beverly brenda
    carly carol caroline catherine chelsea cheryl christina christine claire cynthia dana debbie deborah
    debra diana diane donna doris dorothy elizabeth ellen emily emma evelyn frances gina gloria hannah heather
    heidi helen hillary huma ivanka jane janet jean jennifer jessica jill joan joanne joni josephine joyce
    judith judy julia julie karen katherine kathleen kathy kay kayleigh kellyanne kelly kimberly kirsten
    laura lauren linda lisa loretta lori louise lynn madeleine maria marie marilyn martha mary megyn melania
    melissa michele michelle monica nancy nicole nikki olivia pamela patricia patty paula rachel rebecca
    rosa ruth sally samantha sandra sara sarah sharon shirley stephanie susan susana tammy teresa theresa
    tulsi virginia wendy"""
)
