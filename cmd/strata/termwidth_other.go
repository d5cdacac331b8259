//go:build !unix

package main

import "os"

// terminalWidth is the number of columns of the terminal f is: unknown
// here (0).
func terminalWidth(*os.File) int { return 0 }
