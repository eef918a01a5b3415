/**
 * The HTTP adapter: one controller per resource, request and response records with explicit
 * {@code from(...)} mappings, and the single place where exceptions become RFC 9457 problem
 * details ({@link org.mmsim.api.ProblemAdvice}). Never imports {@code org.mmsim.store}.
 */
package org.mmsim.api;
