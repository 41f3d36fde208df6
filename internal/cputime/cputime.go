// Package cputime reads the CPU time the process has used. Benchmarks
// report it beside wall time: on a shared machine wall time includes
// waiting for a core, CPU time does not.
package cputime
