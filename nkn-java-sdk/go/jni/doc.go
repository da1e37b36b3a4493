// Package main is built with -buildmode=c-shared into the native library of nkn-java-sdk.
package main
