import { ApiProblem } from '@/lib/api/problem';

/** Any other /api/v1 path: a problem document, not the HTML 404 page. */
function notFound(req: Request) {
  const path = new URL(req.url).pathname;
  const problem = new ApiProblem('not-found', `There is no ${path}. The endpoints are listed at /api/v1/openapi.json and /api/v1/docs.`);
  return Response.json(problem.toJSON(req.headers.get('x-request-id') ?? undefined, path), { status: 404, headers: { 'content-type': 'application/problem+json' } });
}

export { notFound as GET, notFound as POST, notFound as PATCH, notFound as PUT, notFound as DELETE };
