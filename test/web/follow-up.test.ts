// The follow-up after the letter in the pages, in Chromium: the owner reports the half-year with
// the forecast figures, sees the deviation from the approved baseline and the lights the council's
// tolerances indicate before sending (an empty form and a wrong amount refused in Danish first),
// sends it and corrects it; a correction made stale by a change meanwhile (via the API) is
// explained in words and the form shows the report anew. The secretariat judges the report red
// with a reason (a form without either refused first); the owner can then no longer correct it,
// and both see the judgement and the alert in the timeline; the revision form shows the expected
// benefits and wants both of their fields or neither. After the owner has revised the
// project, the secretariat approves the new version as the baseline. The portfolio counts the
// council's judgement. axe-core on every page state; screenshots in .tap/screenshots/follow-up-NN-*.png.
import type { Page } from 'playwright-core'
import t from 'tap'
import { bearer, build, token } from '../helpers/build.ts'
import { gatedProject, submitProject } from '../helpers/fixtures.ts'
import { expectStatus, recentPeriods, withLetter } from '../review/helpers.ts'
import { expectCount, expectPage, expectText, expectValue, launch, listen, openTab, pageChecks, signInWithToken, skip } from './browser-helpers.ts'

const { checkAccessibility } = pageChecks('follow-up-')

// Two sign-ins and many page states in a real browser on a busy two-core machine.
t.setTimeout(900_000)

const TITLE = 'Fælles regional medicinmodul'
const REASON = 'Overskridelsen af tidsplanen rammer udrulningen i alle fem regioner.'
const MEANWHILE = 'Rettet af en kollega i mellemtiden.'

t.test('the owner reports and corrects, the secretariat judges and approves a baseline, in Chromium', { skip }, async (t) => {
  const { app } = await build(t)
  const base = await listen(app)
  const browser = await launch(t)
  // 10.000.000 kr. eligible, ending 30 June 2029, 2.000.000 kr. expected benefits: the letter approves it as baseline version 1.
  const project = await submitProject(app, '1084', gatedProject({
    title: TITLE,
    expectedBenefits: { financialDkk: 2_000_000, description: 'Færre fejl i medicineringen og kortere tid på ordination.' }
  }))
  await withLetter(app, project.id)
  const period = recentPeriods(1)[0]!
  const periodInWords = `${period.slice(-1)}. halvår ${period.slice(0, 4)}`
  const ownerJwt = await token('submitter', '1084', { sub: 'mette', name: 'Mette Projektleder' })
  const secretariatJwt = await token('secretariat', 'ITR', { sub: 'sek-lise', name: 'Lise Sekretariat' })

  /** Opens the project through the search field, as people do. */
  const openProject = async (page: Page) => {
    const search = page.getByRole('searchbox', { name: 'Søg efter sag' })
    await search.fill(project.reference)
    await search.press('Enter')
    await expectPage(t, page, TITLE)
  }

  const { page: owner, checkConsole: ownerConsole } = await openTab(t, browser, 'owner (follow-up)', [412])
  await signInWithToken(t, owner, base, ownerJwt, 'Mine projekter')

  await t.test('the owner reports the half-year with figures and sees the deviation first', async (t) => {
    await openProject(owner)
    const facts = owner.getByRole('region', { name: 'Oplysninger om projektet' })
    await expectText(t, facts, /Forventede gevinster\s*Økonomiske gevinster: 2\.000\.000 kr\./)
    await expectText(t, facts, /Godkendt baseline\s*Version 1, godkendt/)
    await expectText(t, facts, 'Medregnede omkostninger: 10.000.000 kr.')
    await owner.getByRole('link', { name: 'Indsend statusrapport' }).click()
    await expectPage(t, owner, 'Indsend statusrapport')
    await expectText(t, owner.locator('main'), 'Godkendt baseline: 10.000.000 kr.')
    await expectText(t, owner.locator('main'), 'Godkendt baseline: 30. juni 2029')
    await expectText(t, owner.locator('main'), 'Godkendt baseline: 2.000.000 kr.')
    await checkAccessibility(t, owner, 'statusrapport')

    await owner.getByRole('button', { name: 'Indsend statusrapport' }).click()
    const summary = owner.locator('.message-error')
    await expectText(t, summary, 'Skriv de forventede omkostninger i kr.')
    await expectText(t, summary, 'Skriv den forventede slutdato.')
    await expectText(t, summary, 'Vælg et lys for Økonomi.')
    await expectText(t, summary, 'Skriv en kommentar.')
    await checkAccessibility(t, owner, 'statusrapport-valideringsfejl')

    await owner.getByLabel(/^Forventede omkostninger/).fill('10,6 mio.')
    await owner.getByLabel(/^Forventet slutdato/).fill('2029-08-29')
    await owner.getByRole('button', { name: 'Indsend statusrapport' }).click()
    await expectText(t, summary, 'Skriv de forventede omkostninger som et helt antal kroner, fx 10.600.000.')

    // 600.000 kr. (6 %) over and 60 days later than the baseline: both beyond the yellow bound.
    await owner.getByLabel(/^Forventede omkostninger/).fill('10.600.000')
    await owner.getByLabel(/^Forventede økonomiske gevinster/).fill('2.000.000')
    const deviation = owner.getByRole('region', { name: 'Beregnet afvigelse fra den godkendte baseline' })
    await expectText(t, deviation, /Økonomi \+6,0 % \(600\.000 kr\.\) – .?Gul/)
    await expectText(t, deviation, /Tidsplan 60 dage senere – .?Gul/)
    await expectText(t, deviation, /Økonomiske gevinster som forventet – .?Grøn/)
    await checkAccessibility(t, owner, 'statusrapport-afvigelse')

    const light = (group: string, name: string) => owner.getByRole('group', { name: group, exact: true }).getByRole('radio', { name, exact: true })
    await light('Økonomi (skal udfyldes)', 'Gul').check()
    await light('Tidsplan (skal udfyldes)', 'Gul').check()
    await light('Økonomiske gevinster (skal udfyldes)', 'Grøn').check()
    await light('Ikke-økonomiske gevinster', 'Grøn').check()
    await owner.getByLabel('Kommentar').fill('Leverandøren er forsinket; budgettet er udvidet med 600.000 kr.')
    await owner.getByRole('button', { name: 'Indsend statusrapport' }).click()
    await expectPage(t, owner, TITLE)
    await expectText(t, owner.locator('.message-success'), `Statusrapporten for ${periodInWords} er indsendt.`)
    const report = owner.getByRole('article', { name: periodInWords })
    await expectText(t, report, /Rådets vurdering\s*Ikke vurderet endnu/)
    await expectText(t, report, /Projektets egen samlede vurdering\s*.?Gul/)
    await expectText(t, report, /Afvigelse fra baseline version 1\s*Økonomi \+6,0 % \(600\.000 kr\.\) – .?Gul/)
    await expectCount(t, report.getByRole('link', { name: /^Ret statusrapport/ }), 1, 'unjudged: the owner may correct it')
    await checkAccessibility(t, owner, 'projekt-statusrapport')
  })

  await t.test('the owner corrects it; a correction made stale meanwhile is explained', async (t) => {
    const report = owner.getByRole('article', { name: periodInWords })
    await report.getByRole('link', { name: /^Ret statusrapport/ }).click()
    await expectPage(t, owner, `Ret statusrapport for ${periodInWords}`)
    await expectValue(t, owner.getByLabel(/^Forventede omkostninger/), '10.600.000')
    await expectValue(t, owner.getByLabel(/^Forventet slutdato/), '2029-08-29')
    await expectText(t, owner.getByRole('region', { name: 'Beregnet afvigelse fra den godkendte baseline' }), /Økonomi \+6,0 %/)
    await checkAccessibility(t, owner, 'ret-statusrapport')

    // A colleague corrects the report through the API while the form is open.
    const url = `/v1/projects/${project.id}/status-reports/${period}`
    const current = expectStatus(await app.inject({ method: 'GET', url, headers: bearer(ownerJwt) }), 200)
    const { forecastCostDkk, forecastEndDate, forecastFinancialBenefitsDkk, cost, schedule, financialBenefits, nonFinancialBenefits } = current.json()
    expectStatus(await app.inject({
      method: 'PUT',
      url,
      headers: { ...bearer(ownerJwt), 'if-match': current.headers.etag as string },
      payload: { forecastCostDkk, forecastEndDate, forecastFinancialBenefitsDkk, cost, schedule, financialBenefits, nonFinancialBenefits, comment: MEANWHILE }
    }), 200)

    await owner.getByLabel(/^Forventede omkostninger/).fill('11.000.000')
    await expectText(t, owner.getByRole('region', { name: 'Beregnet afvigelse fra den godkendte baseline' }), /Økonomi \+10,0 % \(1\.000\.000 kr\.\) – .?Gul/)
    await owner.getByRole('button', { name: 'Gem rettelsen' }).click()
    await expectPage(t, owner, `Ret statusrapport for ${periodInWords}`)
    await expectText(t, owner.locator('.message-notice'), `Statusrapporten for ${periodInWords} er blevet ændret, siden du åbnede den, så din rettelse er ikke gemt.`)
    await expectValue(t, owner.getByLabel('Kommentar'), MEANWHILE)
    await expectValue(t, owner.getByLabel(/^Forventede omkostninger/), '10.600.000')
    await checkAccessibility(t, owner, 'ret-statusrapport-aendret-i-mellemtiden')

    await owner.getByLabel(/^Forventede omkostninger/).fill('11.000.000')
    await owner.getByRole('button', { name: 'Gem rettelsen' }).click()
    await expectPage(t, owner, TITLE)
    await expectText(t, owner.locator('.message-success'), `Statusrapporten for ${periodInWords} er rettet.`)
    await expectText(t, owner.getByRole('article', { name: periodInWords }), /Økonomi \+10,0 % \(1\.000\.000 kr\.\) – .?Gul/)
    await expectText(t, owner.locator('.timeline li', { hasText: 'Statusrapport rettet' }).last(), 'Udført af Mette Projektleder (Region Hovedstaden)')
    await checkAccessibility(t, owner, 'projekt-statusrapport-rettet')
  })

  const { page: secretariat, checkConsole: secretariatConsole } = await openTab(t, browser, 'secretariat (follow-up)')
  await signInWithToken(t, secretariat, base, secretariatJwt, 'Sagsoversigt')

  await t.test('the secretariat judges the report red, with a reason', async (t) => {
    await openProject(secretariat)
    await expectCount(t, secretariat.getByRole('button', { name: /^Godkend version/ }), 0, 'the current version is the approved baseline')
    const form = secretariat.getByRole('form', { name: `Rådets vurdering af statusrapporten for ${periodInWords}` })
    await checkAccessibility(t, secretariat, 'sekretariat-statusrapport')
    await form.getByRole('button', { name: 'Gem rådets vurdering' }).click()
    await expectText(t, form.locator('.message-error'), 'Vælg rådets samlede vurdering.')
    await expectText(t, form.locator('.message-error'), 'Skriv en begrundelse for vurderingen.')
    await checkAccessibility(t, secretariat, 'sekretariat-vurdering-valideringsfejl')

    await form.getByRole('radio', { name: 'Rød', exact: true }).check()
    await form.getByLabel(/^Begrundelse/).fill(REASON)
    await form.getByRole('button', { name: 'Gem rådets vurdering' }).click()
    await expectPage(t, secretariat, TITLE)
    await expectText(t, secretariat.locator('.message-success'), `Rådets vurdering af statusrapporten for ${periodInWords} er gemt: rød.`)
    const report = secretariat.getByRole('article', { name: periodInWords })
    await expectText(t, report, new RegExp(`Rådets vurdering\\s*.?Rød\\s*Begrundelse: ${REASON}`))
    await expectText(t, report, /af Lise Sekretariat/)
    await expectCount(t, secretariat.getByRole('form', { name: /^Rådets vurdering af statusrapporten/ }), 0, 'judged once')
    await expectText(t, secretariat.locator('.timeline li', { hasText: 'Rådet har vurderet statusrapport' }), `${periodInWords}: rådets samlede vurdering rød.`)
    await expectText(t, secretariat.locator('.timeline li', { hasText: 'Alarm' }), `${periodInWords}: rådets samlede vurdering rød.`)
    await checkAccessibility(t, secretariat, 'sekretariat-vurderet')
  })

  await t.test('the owner sees the judgement and can no longer correct the report', async (t) => {
    await owner.reload()
    await expectPage(t, owner, TITLE, { focused: false })
    const report = owner.getByRole('article', { name: periodInWords })
    await expectText(t, report, new RegExp(`Rådets vurdering\\s*.?Rød\\s*Begrundelse: ${REASON}`))
    await expectCount(t, owner.getByRole('link', { name: /^Ret statusrapport/ }), 0, 'judged: no correction')
    await expectCount(t, owner.getByRole('form', { name: /^Rådets vurdering/ }), 0, 'the owner does not judge')
    await expectText(t, owner.locator('.timeline'), /Rådet har vurderet statusrapport/)
    await checkAccessibility(t, owner, 'ejer-vurderet')

    await owner.goto(`${base}/app/#/projects/${project.id}/status-report/${period}`)
    await expectPage(t, owner, `Ret statusrapport for ${periodInWords}`)
    await expectText(t, owner.locator('main'), `Rådet har vurderet statusrapporten for ${periodInWords}, så den kan ikke længere rettes.`)
    await checkAccessibility(t, owner, 'ret-statusrapport-vurderet')

    // The revision form shows the expected benefits, and both of their fields or neither.
    await owner.getByRole('link', { name: 'Tilbage til projektet' }).click()
    await expectPage(t, owner, TITLE)
    await owner.getByRole('link', { name: 'Revidér projektet' }).click()
    await expectPage(t, owner, 'Revidér projekt')
    await expectValue(t, owner.getByLabel(/^Økonomiske gevinster i kr\./), '2.000.000')
    await expectValue(t, owner.getByLabel(/^Beskriv gevinsterne/), 'Færre fejl i medicineringen og kortere tid på ordination.')
    await owner.getByLabel(/^Beskriv gevinsterne/).fill('')
    await owner.getByRole('button', { name: 'Gem ændringer' }).click()
    await expectText(t, owner.locator('.message-error'), 'Beskriv de forventede gevinster, når der er angivet et beløb.')
    await checkAccessibility(t, owner, 'revider-gevinster-valideringsfejl')
    ownerConsole()
  })

  await t.test('after a revision the secretariat approves the new version as the baseline', async (t) => {
    expectStatus(await app.inject({
      method: 'PATCH',
      url: `/v1/projects/${project.id}`,
      headers: { ...bearer(ownerJwt), 'if-match': '"1"' },
      payload: { plannedEnd: '2029-12-31' }
    }), 200)
    await secretariat.reload()
    await expectPage(t, secretariat, TITLE, { focused: false })
    const actions = secretariat.getByRole('region', { name: 'Handlinger' })
    await expectText(t, actions, 'Statusrapporterne måles mod version 1. Projektet er revideret siden og er nu i version 2.')
    await checkAccessibility(t, secretariat, 'sekretariat-ny-version')
    await actions.getByRole('button', { name: 'Godkend version 2 som baseline' }).click()
    await expectPage(t, secretariat, TITLE)
    await expectText(t, secretariat.locator('.message-success'), 'Version 2 er godkendt som baseline.')
    await expectCount(t, secretariat.getByRole('button', { name: /^Godkend version/ }), 0, 'approved once')
    const facts = secretariat.getByRole('region', { name: 'Oplysninger om projektet' })
    await expectText(t, facts, /Godkendt baseline\s*Version 2, godkendt/)
    await expectText(t, facts, 'Planlagt slut: 31. december 2029')
    await expectText(t, secretariat.locator('.timeline li', { hasText: 'Baseline godkendt' }), 'Version 2 er godkendt som baseline i stedet for version 1.')
    await checkAccessibility(t, secretariat, 'sekretariat-baseline-godkendt')

    await secretariat.getByRole('link', { name: 'Porteføljeoverblik' }).click()
    await expectPage(t, secretariat, 'Porteføljeoverblik')
    const row = secretariat.locator('table.portfolio tbody tr', { hasText: project.reference })
    await expectValue(t, secretariat.getByLabel('Halvår', { exact: true }), period)
    await expectText(t, row, /.?Rød/)
    t.notMatch(await row.textContent(), /projektets egen vurdering/, 'the council\'s judgement, not the project\'s own')
    await expectText(t, secretariat.locator('.summary'), `${periodInWords}: 1 projekt under Regionernes It-råd. Samlet vurdering: 0 grønne, 0 gule og 1 rød; 0 uden statusrapport endnu.`)
    await checkAccessibility(t, secretariat, 'portefoeljeoverblik')
    secretariatConsole()
  })
})
