/** Domain errors: services throw these; the action wrapper and route handlers turn them into clear messages and 4xx. */
export class DomainError extends Error {
  constructor(
    message: string,
    readonly status: 400 | 401 | 403 | 404 | 409 | 413 | 415 | 422 | 429 = 400,
    readonly field?: string,
  ) {
    super(message);
    this.name = new.target.name;
  }
}
export class ValidationError extends DomainError {
  constructor(message: string, field?: string) {
    super(message, 422, field);
  }
}
export class ForbiddenError extends DomainError {
  constructor(message = 'You do not have permission to do that.') {
    super(message, 403);
  }
}
export class NotFoundError extends DomainError {
  constructor(message = 'Not found.') {
    super(message, 404);
  }
}
export class ConflictError extends DomainError {
  constructor(message: string, field?: string) {
    super(message, 409, field);
  }
}
