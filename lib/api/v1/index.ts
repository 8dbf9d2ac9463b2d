import type { Endpoint } from '../endpoint';
import { getCourse, listCourses, listModules, updateCourse } from './courses';
import { createEnrolment, deleteEnrolment, getEnrolment, listEnrolments, updateEnrolment } from './enrolments';
import { getProgress, listAttempts, listCertificates, listGradebook } from './learning';
import { getMember, listMembers, updateMember } from './members';

/** Every /api/v1 endpoint. Route files export handlers from here; the OpenAPI document is generated from it. */
export const ENDPOINTS = {
  listMembers,
  getMember,
  updateMember,
  listCourses,
  getCourse,
  updateCourse,
  listModules,
  listEnrolments,
  createEnrolment,
  getEnrolment,
  updateEnrolment,
  deleteEnrolment,
  getProgress,
  listGradebook,
  listAttempts,
  listCertificates,
} satisfies Record<string, Endpoint>;
