/**
 * The experiments whose tables are in the docs: each runner makes its numbers from the bundled
 * models and held-out sample images and writes its section of a docs page, so a table is never
 * edited by hand ({@code lpnp results}).
 */
package io.github.lipschitzpnp.results;
