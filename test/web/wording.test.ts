// The pages' Danish wording and formatting (labels.js, format.js): pure modules, imported as the
// browser gets them.
import t from 'tap'

interface FormatModule {
  formatPeriod: (period: string | null | undefined) => string
  halfYearOf: (dateOrInstant: string) => string
  halfYearsBetween: (first: string, last: string) => string[]
  parseDkk: (text: string) => number | null
  formatDkk: (amount: number) => string
  formatNumber: (value: number) => string
  recentHalfYears: (last: string, count: number) => string[]
  oneYearAfter: (date: string) => string
  formatBytes: (bytes: number) => string
}
interface LabelsModule {
  fieldLabel: (pointer: string) => string | null
  countLights: (count: number, light: 'green' | 'yellow' | 'red') => string
  countOf: (count: number, one: string, many: string) => string
  orgName: (code: string, names?: Record<string, string>) => string
  councilName: (code: string | null | undefined, councils?: Array<{ code: string, name: string }> | null) => string
  ORGANISATION_KIND: Record<string, string>
  PROJECT_KIND: Record<string, string>
  gateReason: (reason: string, regionNames?: Record<string, string>) => string
  eventDetails: (event: { type: string, data?: Record<string, unknown> }, regionNames?: Record<string, string>) => string[]
  formatPct: (pct: number) => string
  deviationText: (deviation: { costDkk: number, costPct: number | null, scheduleDays: number, financialBenefitsPct: number | null }) => string[]
  EVENT: Record<string, string>
  STATUS: Record<string, string>
  FOLLOW_UP_TRACK: Record<string, string>
}

const js = (name: string) => new URL(`../../src/web/public/js/${name}`, import.meta.url).href
const format = await import(js('format.js')) as FormatModule
const labels = await import(js('labels.js')) as LabelsModule

t.test('periods read as half-years in Danish', async (t) => {
  t.equal(format.formatPeriod('2099-H2'), '2. halvår 2099')
  t.equal(format.formatPeriod('2026-H1'), '1. halvår 2026')
  t.equal(format.formatPeriod('2026-Q1'), '2026-Q1', 'anything else as it is')
  t.equal(format.formatPeriod(null), '–')
  t.equal(format.halfYearOf('2026-06-30'), '2026-H1')
  t.equal(format.halfYearOf('2026-07-01'), '2026-H2')
  t.equal(format.halfYearOf('2026-06-30T22:30:00Z'), '2026-H2', 'an instant by its Danish date: 1 July 00.30')
  t.same(format.halfYearsBetween('2026-H2', '2027-H2'), ['2027-H2', '2027-H1', '2026-H2'], 'newest first')
  t.same(format.halfYearsBetween('2026-H1', '2026-H1'), ['2026-H1'])
  t.same(format.halfYearsBetween('2027-H1', '2026-H2'), [], 'first after last: none')
})

t.test('file sizes as Danish file managers show them', async (t) => {
  t.equal(format.formatBytes(610), '610 byte')
  t.equal(format.formatBytes(2048), '2 kB')
  t.equal(format.formatBytes(1_258_291), '1,2 MB')
  t.equal(format.formatBytes(25 * 1024 * 1024), '25 MB')
})

t.test('amounts as people type them', async (t) => {
  t.equal(format.parseDkk('6000000'), 6_000_000)
  t.equal(format.parseDkk('6.000.000'), 6_000_000)
  t.equal(format.parseDkk(' 6 000 000 kr. '), 6_000_000)
  t.equal(format.parseDkk('0'), 0)
  for (const bad of ['', '6,5', '6.00.000', '-5', '1e6', 'seks']) t.equal(format.parseDkk(bad), null, JSON.stringify(bad))
  t.equal(format.formatDkk(10_900_000), '10.900.000 kr.')
  t.equal(format.formatNumber(5), '5')
  t.equal(format.formatNumber(2.5), '2,5', 'a decimal comma')
  t.equal(format.formatNumber(1_234_567.25), '1.234.567,25')
})

t.test('field errors name the field in Danish', async (t) => {
  t.equal(labels.fieldLabel('/budgetLines/0/amountDkk'), 'Budgetlinje 1, beløb')
  t.equal(labels.fieldLabel('/budgetLines/12/category'), 'Budgetlinje 13, kategori')
  t.equal(labels.fieldLabel('/budgetLines'), 'Budget')
  t.equal(labels.fieldLabel('/contact/email'), 'Kontaktperson, e-mail')
  t.equal(labels.fieldLabel('/title'), 'Titel')
  t.equal(labels.fieldLabel('/participatingRegions/2'), 'Region 3')
  t.equal(labels.fieldLabel('/scores/security'), 'Risiko pr. dimension, sikkerhed')
  t.equal(labels.fieldLabel('/recommendations/0/text'), 'Anbefaling 1, tekst')
  t.equal(labels.fieldLabel('/reason'), 'Begrundelse')
  t.equal(labels.fieldLabel('/effectiveFrom'), 'Gælder fra', 'a policy version\'s fields')
  t.equal(labels.fieldLabel('/rule/minEligibleCostDkk'), 'Regel, tærskel')
  t.equal(labels.fieldLabel('/reviewWorkingDays/programme'), 'Arbejdsdage, program')
  t.equal(labels.fieldLabel('/followUp/costPct/yellow'), 'Opfølgning, økonomi (pct.), gul')
  t.equal(labels.fieldLabel('/code'), 'Kode', 'an organisation\'s fields')
  t.equal(labels.fieldLabel('/kind'), 'Type')
  t.equal(labels.fieldLabel('/somethingElse'), null, 'unknown: the page shows the pointer')
  t.equal(labels.fieldLabel(''), null, 'the whole body')
})

t.test('counts agree in number', async (t) => {
  t.equal(labels.countLights(1, 'green'), '1 grøn')
  t.equal(labels.countLights(2, 'green'), '2 grønne')
  t.equal(labels.countLights(0, 'green'), '0 grønne')
  t.equal(labels.countLights(1, 'yellow'), '1 gul')
  t.equal(labels.countLights(3, 'yellow'), '3 gule')
  t.equal(labels.countLights(1, 'red'), '1 rød')
  t.equal(labels.countLights(0, 'red'), '0 røde')
  t.equal(labels.countOf(1, 'projekt', 'projekter'), '1 projekt')
  t.equal(labels.countOf(2, 'projekt', 'projekter'), '2 projekter')
})

t.test('names, never bare codes', async (t) => {
  const regionNames = { 1084: 'Region Hovedstaden', 1085: 'Region Sjælland' }
  t.equal(labels.orgName('1084', regionNames), 'Region Hovedstaden')
  t.equal(labels.orgName('1081'), 'Region Nordjylland', 'the fallback names before GET /v1/regions has answered')
  t.equal(labels.orgName('ITR'), 'Regionernes It-råds sekretariat', 'the secretariats before GET /v1/organisations has answered')
  t.equal(labels.orgName('SIR'), 'Statens It-råds sekretariat')
  t.equal(labels.orgName('10000000', { 10000000: 'Demostyrelsen' }), 'Demostyrelsen', 'a state authority by its name from GET /v1/organisations')
  t.equal(labels.orgName('XYZ'), 'XYZ', 'an organisation the pages do not know')
  t.equal(labels.gateReason('only 4 of 5 required regions participate (missing 1085)', regionNames), 'Kun 4 af 5 påkrævede regioner deltager (mangler Region Sjælland)')
  t.equal(labels.gateReason('eligible cost 10000000 DKK is at or above 10000000 DKK'), 'Medregnede omkostninger på 10.000.000 kr. er mindst 10.000.000 kr.')
})

t.test('councils, kinds of organisation and of project in words', async (t) => {
  t.equal(labels.councilName('state', [{ code: 'state', name: 'Statens It-råd' }]), 'Statens It-råd', 'from GET /v1/councils')
  t.equal(labels.councilName('regions'), 'Regionernes It-råd', 'before GET /v1/councils has answered')
  t.equal(labels.councilName(null), 'Intet råd')
  t.same(labels.ORGANISATION_KIND, { region: 'Region', state_authority: 'Statslig myndighed', secretariat: 'Sekretariat', other: 'Anden organisation' })
  t.same(labels.PROJECT_KIND, { project: 'Projekt', programme: 'Program' })
})

t.test('the timeline describes events from their data, in Danish', async (t) => {
  t.same(labels.eventDetails({ type: 'itraad.project.revised', data: { version: 2, changedFields: ['title', 'budgetLines'], status: 'under_assessment', previousStatus: 'under_assessment', gating: { reviewRequired: true } } }),
    ['Version 2.', 'Ændret: Titel, Budget.', 'Skal vurderes af rådet.'])
  t.same(labels.eventDetails({ type: 'itraad.project.withdrawn', data: { reason: 'Projektet er lagt sammen med et andet.' } }), ['Begrundelse: Projektet er lagt sammen med et andet.'])
  t.same(labels.eventDetails({ type: 'itraad.project.withdrawn', data: {} }), [])
  t.same(labels.eventDetails({ type: 'itraad.review.member_assigned', data: { memberSub: 'cm-anna', memberOrg: 'ITR' } }), ['Rådsmedlem: cm-anna (Regionernes It-råds sekretariat).'])
  t.same(labels.eventDetails({ type: 'itraad.review.member_assigned', data: { memberSub: 'anne', memberOrg: '1081', memberName: 'Anne Andersen', memberOrgName: 'Region Nordjylland' } }),
    ['Rådsmedlem: Anne Andersen (Region Nordjylland).'], 'the names the event carries (the directory\'s)')
  t.same(labels.eventDetails({ type: 'itraad.status_report.submitted', data: { period: '2099-H2', overall: 'yellow' } }), ['2. halvår 2099: samlet gul.'])
  t.same(labels.eventDetails({ type: 'itraad.letter.issued', data: { riskProfile: 'B' } }), ['Risikoprofil: B – høj risiko.'])
})

t.test('the follow-up in words: corrections, judgements, baselines and deviations', async (t) => {
  t.equal(labels.EVENT['itraad.status_report.corrected'], 'Statusrapport rettet')
  t.equal(labels.EVENT['itraad.status_report.judged'], 'Rådet har vurderet statusrapport')
  t.equal(labels.EVENT['itraad.baseline.approved'], 'Baseline godkendt')
  t.equal(labels.STATUS.closed, 'Afsluttet')
  const deviation = { costDkk: 600_000, costPct: 6, scheduleDays: 60, financialBenefitsPct: null }
  t.same(labels.eventDetails({ type: 'itraad.status_report.submitted', data: { period: '2026-H2', ownOverall: 'yellow', deviation } }),
    ['2. halvår 2026: projektets egen samlede vurdering gul.', 'Afvigelse: Økonomi +6,0 % (600.000 kr.); Tidsplan 60 dage senere; Økonomiske gevinster ikke beregnet.'])
  t.same(labels.eventDetails({ type: 'itraad.status_report.corrected', data: { period: '2026-H2', ownOverall: 'green', deviation: null } }),
    ['2. halvår 2026: projektets egen samlede vurdering grøn.'], 'an old report without figures')
  t.same(labels.eventDetails({ type: 'itraad.status_report.judged', data: { period: '2026-H2', overall: 'red', ownOverall: 'yellow' } }),
    ['2. halvår 2026: rådets samlede vurdering rød.'])
  t.same(labels.eventDetails({ type: 'itraad.project.alert', data: { period: '2026-H2', overall: 'red', reason: 'status_report_judged_red' } }),
    ['2. halvår 2026: rådets samlede vurdering rød.'])
  t.same(labels.eventDetails({ type: 'itraad.baseline.approved', data: { approvedBaseline: { version: 2 }, previousVersion: 1 } }),
    ['Version 2 er godkendt som baseline i stedet for version 1.'])
  t.same(labels.eventDetails({ type: 'itraad.baseline.approved', data: { approvedBaseline: { version: 1 }, previousVersion: null } }),
    ['Version 1 er godkendt som baseline.'])
  t.equal(labels.formatPct(6), '+6,0 %')
  t.equal(labels.formatPct(-2.5), '−2,5 %', 'one decimal, a decimal comma')
  t.equal(labels.formatPct(0), '0,0 %')
  t.equal(labels.formatPct(1234.5), '+1.234,5 %')
  t.same(labels.deviationText({ costDkk: -250_000, costPct: -2.5, scheduleDays: -1, financialBenefitsPct: 10 }),
    ['Økonomi −2,5 % (−250.000 kr.)', 'Tidsplan 1 dag tidligere', 'Økonomiske gevinster 10,0 % lavere'], 'under budget, early, fewer benefits')
  t.same(labels.deviationText({ costDkk: 5, costPct: null, scheduleDays: 0, financialBenefitsPct: -3 }),
    ['Økonomi 5 kr.', 'Tidsplan som planlagt', 'Økonomiske gevinster 3,0 % højere'], 'no baseline amount to compare with; more benefits')
})

t.test('after the follow-up: the council\'s decision, the closure and the benefit reports in words', async (t) => {
  t.same(labels.FOLLOW_UP_TRACK, { back_to_plan: 'Tilbage til planen', new_baseline: 'Ny baseline', close_project: 'Projektet lukkes' })
  t.equal(labels.EVENT['itraad.follow_up.decided'], 'Rådets beslutning efter rød vurdering')
  t.equal(labels.EVENT['itraad.project.closed'], 'Projektet er afsluttet')
  t.equal(labels.EVENT['itraad.benefit_report.submitted'], 'Gevinstopgørelse er indsendt')
  t.same(labels.eventDetails({ type: 'itraad.follow_up.decided', data: { track: 'new_baseline', period: '2026-H2' } }), ['2. halvår 2026: opfølgningsspor "Ny baseline".'])
  t.same(labels.eventDetails({ type: 'itraad.project.closed', data: { completedOn: '2026-11-30', finalCostDkk: 10_400_000 } }),
    ['Afsluttet den 30. november 2026.', 'Endelige omkostninger: 10.400.000 kr.'])
  t.same(labels.eventDetails({ type: 'itraad.benefit_report.submitted', data: { number: 1, reportedOn: '2026-12-01', realisedFinancialBenefitsDkk: 1_500_000 } }),
    ['Gevinstopgørelse 1, opgjort den 1. december 2026.', 'Realiserede økonomiske gevinster: 1.500.000 kr.'])
  t.equal(labels.fieldLabel('/finalCostDkk'), 'Endelige omkostninger')
  t.equal(labels.fieldLabel('/realisedFinancialBenefitsDkk'), 'Realiserede økonomiske gevinster')
  t.same(format.recentHalfYears('2026-H2', 4), ['2026-H2', '2026-H1', '2025-H2', '2025-H1'], 'the picker\'s half-years, newest first')
  t.same(format.recentHalfYears('2027-H1', 2), ['2027-H1', '2026-H2'])
  t.equal(format.oneYearAfter('2026-11-30'), '2027-11-30')
  t.equal(format.oneYearAfter('2028-02-29'), '2029-02-28', '29 February gives 28 February, as the API counts')
})
