package main

import (
	"errors"

	"github.com/spf13/cobra"
)

// runConsole starts the full-screen console. (Being built: issue 4.)
func runConsole(cmd *cobra.Command, opts *globalOptions) error {
	return errors.New("the console is not available in this build yet; see the README")
}
