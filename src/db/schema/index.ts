export * from './projects.ts'
export * from './review.ts'
export * from './audit.ts'
export * from './webhooks.ts'
