"""Word lists for speaker attribution (used by :mod:`newssearch.speakers`).

The reporting-verb lists were chosen by counting, over the PolNeAR train split, how often a
word that follows a name or a pronoun is the cue of an annotated attribution, then checked by
hand; the other lists are general English and news conventions.  No corpus text is stored here.
"""

from __future__ import annotations


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Reporting verbs, every form, that take their source as subject ("Camara said", "he noted").
REPORTING_VERBS = _words("""
    say says said saying tell tells told telling add adds added adding
    write writes wrote written writing tweet tweets tweeted tweeting
    note notes noted noting explain explains explained explaining
    argue argues argued arguing insist insists insisted insisting
    warn warns warned warning announce announces announced announcing
    pledge pledges pledged pledging emphasise emphasises emphasised emphasising
    emphasize emphasizes emphasized emphasizing stress stresses stressed stressing
    stated declare declares declared declaring claim claims claimed claiming
    assert asserts asserted asserting contend contends contended maintain maintains maintained
    acknowledge acknowledges acknowledged acknowledging admit admits admitted admitting
    concede concedes conceded conceding confirm confirms confirmed confirming
    deny denies denied denying reply replies replied replying respond responds responded
    responding answer answers answered retort retorted counter countered
    ask asks asked asking wonder wonders wondered question questions questioned questioning
    suggest suggests suggested suggesting propose proposes proposed proposing
    recall recalls recalled recalling remember remembered remark remarks remarked
    comment comments commented observe observes observed continue continues continued
    conclude concludes concluded concluding repeat repeats repeated reiterate reiterates
    reiterated reiterating echo echoes echoed quip quips quipped joke jokes joked joking
    boast boasts boasted bragged complain complains complained complaining
    lament laments lamented lamenting decry decries decried bemoaned
    predict predicts predicted predicting promise promises promised promising
    vow vows vowed vowing urge urges urged urging demand demands demanded demanding
    call calls called calling describe describes described describing
    accuse accuses accused accusing criticise criticises criticised criticising
    criticize criticizes criticized criticizing attack attacks attacked attacking
    blast blasts blasted slam slams slammed lash lashed rail railed assail assailed
    mock mocks mocked mocking denounce denounces denounced condemn condemns condemned
    praise praises praised praising thank thanks thanked thanking hail hails hailed
    applaud applauded congratulate congratulated welcome welcomed tout touts touted touting
    defend defends defended defending blame blames blamed blaming dismiss dismisses dismissed
    reject rejects rejected
    cite cites cited citing mention mentions mentioned mentioning refer refers referred
    referring point points pointed pointing
    report reports reported reveal reveals revealed disclose disclosed
    indicate indicates indicated signal signals signaled signalled hint hints hinted
    imply implied allege alleges alleged
    caution cautions cautioned threaten threatens threatened
    assure assures assured reassured remind reminds reminded
    agree agrees agreed disagree disagrees disagreed
    express expresses expressed voice voices voiced
    speculate speculated estimate estimates estimated
    testify testified recommend recommends recommended
    endorse endorses endorsed endorsing
    quote quotes quoted posted retweeted elaborated interjected invoked
    declined refused
    release releases released issue issues issued seek seeks sought deliver delivers delivered
    offer offers offered decide decides decided publish publishes published support supports
    supported order orders ordered distanced list lists listed share shares shared
    referenced encourage encourages encouraged avoided considered see sees saw
    oppose opposes opposed vote voted sign signs signed file filed propose
    proclaim proclaims proclaimed exclaim exclaims exclaimed fume fumes fumed
    apologize apologizes apologized apologise apologises apologised plead pleads pleaded
    grumble grumbles grumbled muse muses mused scoff scoffs scoffed shout shouts shouted
    yell yells yelled opine opines opined confide confides confided confess confesses
    confessed affirm affirms affirmed reaffirm reaffirms reaffirmed clarify clarifies
    clarified chide chides chided scold scolds scolded berate berates berated lambast
    lambasts lambasted lambaste lambastes excoriate excoriates excoriated deride derides
    derided ridicule ridicules ridiculed taunt taunts taunted rebuke rebukes rebuked
    rebut rebuts rebutted protested objected
    snap snapped concur concurs concurred theorize theorizes theorized surmised
    preach preaches preached inform informs informed advise advises advised
    reassure reassures downplay downplays downplayed rips ripped
    alleging blasting boasting branding condemning contending decrying denouncing dismissing
    dubbing faulting hailing imploring labeling labelling lambasting maintaining rejecting
    revealing slamming stating threatening welcoming reasoned
    labeled labelled labels dubbed dubs branded brands faulted faults implored implores
    disputed disputes underscored underscores highlighted lauded lauds commended commends
    castigated castigates chastised chastises bashed bashes trashed trashes knocked floated
    outlined retracted backtracked advocated advocates championed embraced embraces spurned
    rebuffed rebuffs hammered skewered jabbed needled teased trumpeted heralded saluted
    credited griped vented fretted refuted begged recounted reprimanded savaged belittled
    insulted extolled mourned gloated pondered queried telegraphed
""")

# Phrasal cues: a stance taken in words ("Roe fired back", "Roe took aim at the plan").
PHRASE_CUES = frozenset(line.strip() for line in """
    fired back
    fires back
    shot back
    shoots back
    pushed back
    pushes back
    hit back
    hits back
    struck back
    lashed out
    lashes out
    went after
    goes after
    took aim
    takes aim
    took issue
    takes issue
    took to Twitter
    made clear
    makes clear
    made the case
    makes the case
    made no mention
    spoke about
    spoke of
    speaks about
    weighed in
    weighs in
    chimed in
    sounded off
    doubled down
    doubles down
    spoke out
    speaks out
    walked back
    walks back
    backed away
    stopped short
    raised concerns
    raised questions
    raises concerns
    raises questions
    took a swipe
    took a shot
    took a jab
    took a dig
    went on
    goes on
    went further
    piled on
    sided with
    came out against
    came out in favor
    threw his support
    threw her support
    laid out
    lays out
    cast doubt
    casts doubt
    made the argument
    makes the argument
    talked about
    talks about
    charged that
    charges that
    has learned
    likened
    likens
    ticked off
    rattled off
    learned that
    pushed for
    pushes for
    stood by
    stands by
    brushed off
    brushes off
    brushed aside
    shrugged off
    shrugs off
    played down
    plays down
    made the point
    made a point
    took credit
    sent a letter
    ruled out
    broke ranks
    held firm
    fought back
    opened up about
    put it
    puts it
    critical of
    skeptical of
    sceptical of
    supportive of
    concerned about
    confident that
    convinced that
    adamant that
    eager to
    unhappy with
    pleased with
    frustrated with
    made it clear
    makes it clear
    make it clear
    expected that
    expects that
""".strip().splitlines())

# Verbs of acts that take a position (PolNeAR annotates these as attributions): each kept only
# after checking on train that it brings more right speakers than wrong ones.
STANCE_VERBS = _words("""
    pushes pushed pushing presses pressed pressing planned plans named counting talking talked
    opened cast struck aimed aims approved approves allowed refuses paints painted deemed deems
    focused focuses intimated barked articulated blocked envisioned envisions promotes promoted
    considers remembers rated compared compares admired admires emailed reacted discuss discussed
    discusses learned identified fired confronted complimented compliments grilled examined
    looking unveiled unveils contrasting congratulating casting portrayed portrays
    resisted debated characterized characterizes coined requested cheered nominated co-sponsored
    vouched
""")

# Verbs for what polls, studies and records show; a person is never their subject here.
FINDING_VERBS = _words("show shows showed shown find finds found")

# Verbs of belief and intention (PolNeAR annotates these as attributions too).
COGNITIVE_VERBS = _words("""
    think thinks thought believe believes believed
    hope hopes hoped hoping fear fears feared worry worries worried
    want wants wanted knows knew
""")

# Base forms that are also nouns ("the AP report", "a Trump call"): a cue only after an
# auxiliary, "to" or a plural subject.
NOUN_LIKE_BASE_FORMS = _words("""
    report call claim tweet comment answer question promise demand praise blame attack
    note thanks hope fear warning statement remark echo quote mention point estimate
    joke boast lament vow pledge
""")

# Verbs that may stand after a quotation with the speaker following ("..., said Camara").
INVERTED_VERBS = _words("""
    said says added asked wrote writes explained noted continued recalled replied
    responded declared insisted argued warned tweeted quipped joked remarked concluded
    observed answered countered retorted stressed emphasised emphasized adds asks notes
    proclaimed exclaimed fumed shouted pleaded conceded acknowledged admitted predicted
    complained cautioned boasted confided mused wondered recalls says explains reported reports
    claimed suggested stated announced agreed confirmed lamented reasoned scoffed laughed
    urged estimated agrees argues insists warns opined cautions concedes admits acknowledges
    laments jokes quips tweets
""")

# Participles opening a clause whose subject is the sentence subject ("..., adding that").
PARTICIPLE_CUES = _words("""
    saying adding noting arguing insisting explaining warning telling calling
    describing accusing claiming stressing emphasising emphasizing declaring
    suggesting citing asking urging pledging promising vowing acknowledging hoping pointing
    predicting criticizing criticising attacking praising blasting slamming questioning
    denouncing defending blaming dismissing rejecting mentioning touting recalling
    conceding admitting denying complaining lamenting boasting joking mocking
    condemning welcoming thanking announcing confirming revealing threatening
    writing tweeting stating responding replying asserting maintaining contending alleging
    labeling labelling dubbing branding faulting lambasting decrying hailing imploring demanding
""")

# Words allowed between a subject and its reporting verb ("Trump has also said").
BETWEEN_SUBJECT_AND_VERB = _words("""
    has have had is was were are will would could can may might must should did does do been
    not n't never also then later previously once repeatedly recently reportedly
    often frequently again even still already quickly publicly privately initially
    first just now ultimately himself herself itself themselves long only simply
    flatly angrily sharply bluntly openly firmly strongly briefly separately similarly
    further subsequently immediately earlier yesterday today tonight
    always actually apparently clearly specifically explicitly directly indeed
    isn’t wasn’t doesn’t didn’t hasn’t haven’t hadn’t won’t wouldn’t can’t couldn’t
    isn't wasn't doesn't didn't hasn't haven't hadn't won't wouldn't can't couldn't
""")

# Speaker-less subjects that look like names at the start of a sentence.
NOT_NAMES = _words("""
    the a an this that these those it its he she they we i you his her their our my your
    but and or so yet if as when while after before since because although though
    in on at by for from with without of to into about under over during between among
    then now there here what which who whom whose why how where also however meanwhile
    still instead indeed moreover furthermore besides nevertheless thus hence
    some many most several few both each every all any no none one two three
    other others another such much more less only just even
    mr mrs ms dr sen rep gov
    officials official aides aide analysts analyst critics critic experts expert
    sources source supporters supporter opponents opponent observers voters voter
    residents witnesses prosecutors investigators lawmakers legislators members
    democrats republicans conservatives liberals progressives independents
    americans people police authorities organizers economists historians strategists
    polls poll surveys survey studies study data reports report documents records
    advocates activists leaders leader candidates candidate protesters delegates
    allies friends associates staffers advisers advisors donors companies firms
    campaign campaigns administration government president senator secretary
    spokesman spokeswoman spokesperson director chairman minister
    everyone everybody someone somebody nobody anyone anybody nothing something
    yes oh well please thank thanks sorry okay ok
    monday tuesday wednesday thursday friday saturday sunday
    january february march april may june july august september october november december
    today tomorrow yesterday tonight
    god lord
""")

# Common words that open sentences capitalised (counted over PolNeAR train: words written in
# lower case far more often than capitalised mid-sentence).  A sentence-initial run word in
# this list is not a name unless the article also capitalises it mid-sentence.
COMMON_SENTENCE_STARTS = _words("""
    abortion about absent absolutely according accurate accustomed across activist activists
    actress actually add adding additional addressing administration advisers after
    afterward again against ahead aides air all almost along alongside already also although
    amid amnesty among an analysts and announced another any anybody anyone anything
    apparently appearing applying approval are around as aside ask asked assuming at attacks
    authorities back ban based be because before behind being believe best between beyond
    big billionaire bombshell boos border both breaking bringing broad build building
    business but by call campaign campaigns can candidate candidates celebrated celebrating
    celebrity certainly change check cheers children citing clearly close closing coal come
    comedian common compare concerning congressional conservative conservatives consider
    consumer containment contests contrast contrasting contributing convention corporate
    could counting credit criminal critics current cyber data days de debate declared defeat
    defense delegates depending despite developers did digital do does donors dozens drama
    due dues dump during each earlier early economic economists eight either election
    elections email emails emerging employees employment ending enough enter entering
    enthusiasm especially establishment even events eventually ever every everybody everyone
    everything except exclusive exit experts facing facts famed families family federal feel
    female few fewer fight finally find finish first five follow following footage for
    foreign former forward four frankly free fresh friends from fundraising further game get
    getting given global go going gone good great gross groups growing guess gun guns hacker
    hackers had half halfway hard has hate have having he health her here higher his
    historically history holding homegrown honestly hopefully hours how however hundreds
    hurt if imagine immediately immigrant immigrants immigration in including increasingly
    indeed independent independents initially inside instead insurgent investors is it its
    joining journalist just keep key kind labor lack ladies large last late later latest
    lawmakers leaders leadership leading leave legal legislative less let letter liberal
    liberals like likely listen literally little local longtime look looking lose losing low
    mainstream majorities make making man many mathematically maybe meanwhile media meet
    members men message messages military millions minority minutes misinformation moderator
    moments momentum months more morning most mostly moving much multiple my namely naming
    nationally naturally nearly neither network never nevertheless newspaper next nine no
    nobody nomination none nonetheless nor not notably note nothing noting now nowadays
    nuclear number obviously of off officers officials often oil okay on once one online
    only opinion opponents opposition or organizers other others otherwise our out outside
    over overall part partial particularly passing pastor pay people perception perhaps
    personal photos playing please plus pointing police political politicians politics poll
    polling polls pollsters power presidential pressed presumptive previously prior private
    privately probably progressive progressives proponents prosecutors protest protests
    public question questions radical radio rather reached read real really recalling recent
    recently recognizing red reflecting regarding regardless related remarks remember report
    reporters reporting respondents responding retired revealed right right-wing rising
    rival running sad safety said sales saying scenes second securing security see send
    senior seriously settle seven several she shortly should sign similar similarly simply
    since six small so social solid solidarity some somebody someone something sometimes
    sons soon sooner sound source sources speaking specifically spending staff standing
    start starting steering still stop strategists strength students such superdelegates
    support supporters sure surveys take takes taking talk talking tax teachers team tell
    tennis tens tensions terrorism thanks that the their then there therefore these they
    things think third-party this those though thousands three through throughout thus time
    titled to together tonight too top tough toward trade trailing true trust try tune
    turning two two-thirds typically ultimately under underdog unemployment unfortunately
    unity unless unlike until up using usually vast very victims victory virtually voices
    vote voter voters wait walking want was we wealthy welcome well were what whatever when
    where whether which while who whoever why win window winning with within without woman
    women workers working worth would writing yeah years yes yet you your
""")

# Capitalised words that can start a name run but belong to a title or a description
# ("Russian Defence Minister Andrey Belousov", "Senate Majority Leader Mitch McConnell").
TITLE_WORDS = _words("""
    mr mrs ms miss mx dr prof professor rev reverend sen sens senator rep reps representative govs
    gov governor lt gen general col colonel sgt adm admiral capt captain cmdr maj major
    cpl pvt del delegate atty attorney pres president vice secretary minister prime deputy
    mayor judge justice chief chairman chairwoman chair director speaker leader
    majority minority whip commissioner ambassador congressman congresswoman
    assemblyman assemblywoman councilman councilwoman councillor superintendent sheriff
    pastor bishop archbishop cardinal pope father sister brother rabbi imam sheikh
    king queen prince princess lord sir dame former candidate nominee presidential
    founder ceo chancellor treasurer officer agent spokesman spokeswoman spokesperson
    adviser advisor aide strategist pollster analyst host anchor columnist
    correspondent reporter editor author economist acting interim first lady
    commander head inspector detective constable sergeant premier emir sultan
    state foreign defence defense interior justice finance health trade home
    attorney-general secretary-general
""")

# Party, faith and nationality words: capitalised, but a group rather than a name.
GROUP_WORDS = _words("""
    republican republicans democrat democrats democratic gop conservative conservatives
    liberal liberals progressive progressives independent independents libertarian
    libertarians labour tory tories socialist socialists communist communists
    american americans african-american african-americans latino latinos latina latinas
    hispanic hispanics asian asians european europeans african africans arab arabs western
    russian russians chinese german germans french british iranian iranians syrian syrians
    israeli israelis palestinian palestinians mexican mexicans canadian canadians japanese
    korean koreans indian indians afghan afghans iraqi iraqis turkish kurdish kurds
    ukrainian ukrainians cuban cubans muslim muslims christian christians catholic
    catholics jewish jews evangelical evangelicals mormon mormons protestant protestants
    millennials millennial presidential
""")

# Honorifics that give a gender.
MALE_HONORIFICS = _words("mr congressman king prince sir lord father brother assemblyman councilman")
FEMALE_HONORIFICS = _words("""
    mrs ms miss congresswoman queen princess lady dame sister assemblywoman councilwoman
""")

# Last words of organisation names ("Russian Defence Ministry", "the Clinton campaign").
ORG_HEADS = _words("""
    ministry department office agency bureau service services commission committee council
    board authority administration government parliament congress senate house assembly
    court tribunal police army navy force forces military party campaign union league
    association federation institute institution foundation fund bank company corporation
    corp inc ltd llc group organisation organization centre center university college
    school society coalition alliance network club caucus movement front chamber academy
    museum church project initiative conference division
    times post news journal tribune herald gazette telegraph guardian magazine review
    observer examiner inquirer register monitor globe chronicle bulletin dispatch courier
    caller beast
    press wire reuters ap afp bbc cnn msnbc fox nbc cbs abc npr politico axios
    poll survey report study statement
    kremlin pentagon whitehouse
""")

# Lower-case heads that refer back to an organisation ("the ministry said").
ORG_ANAPHORS = _words("""
    ministry department agency office campaign committee council commission government
    administration company firm party group organisation organization statement
    report embassy court police army kremlin
""")

# Heads of descriptive subjects that are not named speakers ("a Clinton spokesman").
PERSON_NOUNS = _words("""
    spokesman spokeswoman spokesperson aide aides adviser advisers advisor official officials
    lawyer attorney wife husband son daughter father mother brother sister friend
    source sources supporter supporters critic critics analyst analysts expert experts
    strategist strategists staffer staffers member members representative surrogate
    director manager chairman chief leader leaders executive economist reporter
    """)

# Plural nouns that, after a name, make a group source ("Sanders aides say").
GROUP_NOUNS = _words("""
    officials aides advisers advisors staff staffers insiders sources allies spokesmen
    lawyers attorneys strategists operatives lawmakers representatives supporters backers
    defenders critics loyalists surrogates donors executives leaders members organizers
    organisers volunteers delegates researchers economists analysts
    associates friends confidants rivals police authorities
    users agents newspaper paper website tabloid
    research email e-mail emails tweet tweets filing filings ad ads video book op-ed column
    statement agency account
    report reports memo brief letter editorial audit
    poll polls survey surveys study analysis data records tally filings average
""")

# Nouns that a name modifies in a description ("the Florida senator", "a Trump voter").
DESCRIPTION_NOUNS = _words("""
    senator governor congressman congresswoman lawmaker legislator native resident residents
    delegate delegation voter voters candidate candidates nominee businessman businesswoman
    billionaire supporter supporters fan fans rally rallies primary primaries caucus caucuses
    race state family native newspaper paper network station daily contest victory win
    loss defeat vote electorate base machine operation era years presidency
""")

# Organisation heads continued by of/for/on and a name ("Bureau of Labor Statistics").
COMPLEMENT_HEADS = _words("""
    university department bank institute college church court council committee board
    chamber association federation union league office ministry bureau museum society
    school center centre academy foundation republic kingdom army corps coalition
    alliance conference network fund agency commission organization organisation division
    workers administration company group club caucus service services project institution
    secretary director
""")

# Words that follow a name in possessive form and still name the organisation.
AFFILIATION_HEADS = _words("""
    campaign team camp office administration government ministry police authorities military
""")

MONTHS_AND_DAYS = _words("""
    january february march april may june july august september october november december
    jan feb mar apr aug sept oct nov dec
    monday tuesday wednesday thursday friday saturday sunday
""")

# US states and the like: the place a poll is about, not who made it ("Iowa polls").
US_STATES = frozenset(line.strip() for line in """
    alabama
    alaska
    arizona
    arkansas
    california
    colorado
    connecticut
    delaware
    florida
    georgia
    hawaii
    idaho
    illinois
    indiana
    iowa
    kansas
    kentucky
    louisiana
    maine
    maryland
    massachusetts
    michigan
    minnesota
    mississippi
    missouri
    montana
    nebraska
    nevada
    new hampshire
    new jersey
    new mexico
    new york
    north carolina
    north dakota
    ohio
    oklahoma
    oregon
    pennsylvania
    rhode island
    south carolina
    south dakota
    tennessee
    texas
    utah
    vermont
    virginia
    washington
    west virginia
    wisconsin
    wyoming
    granite state
    hoosier
""".strip().splitlines())

PARTICLES = _words("de van von der den la le du da di del bin al el ben dos das")

# A first-name list (general knowledge) used only to pick compatible pronoun antecedents.
MALE_FIRST_NAMES = _words("""
    aaron abdul abdullah adam adrian ahmed ahmad al alan albert alec alex alexander alexei
    alfred ali allen alvin andre andrei andrew andrey andy angelo anthony antonio arnold
    arthur ashton barack barry ben benjamin bernard bernie bill billy bob bobby boris brad
    bradley brandon brent brett brian bruce bryan byron calvin carl carlos cecil chad
    charles charlie chris christopher chuck clarence claude clay clint cody colin corey
    cory craig curtis dale dan daniel danny darrell dave david dean dennis derek dick
    dmitry don donald doug douglas duane dwight earl ed eddie edward eli elijah elliot
    elton emmanuel emanuel enrique eric erik ernest eugene evan felix fernando francis
    frank franklin fred frederick gabriel gareth gary gavin gene geoff geoffrey george
    gerald gerhard glenn gordon graham grant greg gregory guy hamid hank harold harry
    harvey hassan hector henry herbert herman howard hugh hugo ian ibrahim igor isaac
    ivan jack jacob jacques jaime jake james jamie jared jason jay jean-claude jeb jeff
    jeffrey jeremy jerome jerry jesse jim jimmy joe joel john johnny jon jonathan jorge
    jose joseph josh joshua juan julian justin karl keith ken kenneth kevin khalid kirk
    kurt kyle lamar lance larry lawrence lee leon leonard lewis lindsey lou louis luis
    luke malcolm marco mario mark martin marvin matt matthew max michael miguel mike
    mikhail mitch mitchell mitt mohamed mohammad mohammed muhammad nathan neil newt
    nicholas nick nicolas nigel noah norman oleg oliver omar orrin oscar owen patrick
    paul pedro pete peter phil philip phillip pierre rafael ralph rand randy raul ray
    raymond reince reggie ricardo richard rick ricky rob robert roberto robin rod rodney
    roger ron ronald ross roy rudy rupert russ russell ryan sadio salman sam samuel scott
    sean sergei sergey seth shaun sheldon sherrod sidney simon stanley stefan stephen
    steve steven stuart ted terry thad theodore thomas tim timothy todd tom tommy tony
    travis trent trey troy tyler vernon victor viktor vince vincent vladimir
    wade walter warren wayne wesley will william willie xavier yuri zach zachary
""")
FEMALE_FIRST_NAMES = _words("""
    abby abigail adrienne alice alicia alison allison amanda amber amy ana andrea angela
    angie ann anna anne annie april ashley audrey barbara becky beth betsy betty beverly
    bonnie brenda bridget brittany brooke candice carly carol caroline carolyn catherine
    cathy cecile charlotte chelsea cheryl christina christine cindy claire colleen
    condoleezza connie courtney crystal cynthia danielle dawn debbie deborah debra denise
    diana diane donna doris dorothy elaine eleanor elena elise elizabeth ellen emily emma
    erica erin esther eva evelyn felicia fiona florence frances gabrielle gail geraldine
    gina gloria grace gretchen gwen hannah harriet heather heidi helen hillary holly hope
    huma irene iris ivanka jackie jacqueline jan jane janet janice jeanne jennifer jenny
    jessica jill joan joanna joanne jodi joni josephine joy joyce judith judy julia julie
    june kamala karen kate katherine kathleen kathryn kathy katie katy kay kayleigh
    kellyanne kelly kim kimberly kirsten kristen kristin laura lauren leah lily linda lisa
    liz lois loretta lori louise lucy madeleine maggie marcia margaret maria marie marilyn
    marina marsha martha mary maureen megan megyn melania melanie melissa mia michele
    michelle mika molly monica nancy naomi natalie nicola nicole nikki nina nora olivia
    pam pamela patricia patty paula peggy penny phyllis rachel rebecca renee rhonda rita
    roberta rosa rose ruth sally samantha sandra sara sarah sharon sheila shelley sheryl
    shirley sonia sophia stacey stephanie sue susan susanne suzanne tamara tammy tanya
    tara teresa theresa tiffany tina tracy tulsi valerie vanessa veronica victoria
    virginia wanda wendy yvonne zoe
""")
